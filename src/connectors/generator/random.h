// Random: a small, fast, seedable generator (xoshiro256**, seeded through splitmix64). The generator source
// draws tens of numbers per record at millions of records per second, so this must stay inline and cheap;
// std::mt19937 and std::uniform_int_distribution are several times slower and differ between library versions,
// which would break "same seed -> same records".
#pragma once

#include <cstdint>
#include <string>

namespace pipeline::generator {

class Random {
 public:
  explicit Random(uint64_t seed) {
    uint64_t x = seed;
    for (auto& s : state_) s = SplitMix(x);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); 0 when n <= 0. Multiply-shift instead of modulo: no division, negligible bias.
  int64_t Below(int64_t n) {
    if (n <= 0) return 0;
    return static_cast<int64_t>((static_cast<unsigned __int128>(Next()) * static_cast<uint64_t>(n)) >> 64);
  }
  // Uniform in [lo, hi], both inclusive.
  int64_t Between(int64_t lo, int64_t hi) { return hi <= lo ? lo : lo + Below(hi - lo + 1); }
  // Uniform in [0, 1).
  double NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return p > 0 && NextDouble() < p; }

  // Appends `n` random lowercase letters; each 64-bit draw yields 8 letters (byte * 26 / 256, no division).
  void AppendLetters(size_t n, std::string& out) {
    size_t at = out.size();
    out.resize(at + n);
    char* p = out.data() + at;
    while (n > 0) {
      uint64_t x = Next();
      for (int i = 0; i < 8 && n > 0; ++i, --n, x >>= 8) *p++ = static_cast<char>('a' + (((x & 0xff) * 26) >> 8));
    }
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t state_[4];
};

}  // namespace pipeline::generator
