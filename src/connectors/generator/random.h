// Random: a small, fast, seedable generator (xoshiro256**, seeded through splitmix64). The generator source
// draws tens of numbers per record at millions of records per second, so this must stay inline and cheap;
// std::mt19937 and std::uniform_int_distribution are several times slower and differ between library versions,
// which would break "same seed -> same records".
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
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
  // Whole draws are turned into 8 letters at once (this fills every Nexmark event's padding).
  void AppendLetters(size_t n, std::string& out) {
    size_t at = out.size();
    out.resize(at + n);
    char* p = out.data() + at;
    static_assert(std::endian::native == std::endian::little, "EightLetters' bytes are stored lowest first");
    for (; n >= 8; n -= 8, p += 8) {
      uint64_t letters = EightLetters(Next());
      std::memcpy(p, &letters, 8);
    }
    if (n > 0) {
      uint64_t x = Next();
      for (size_t i = 0; i < n; ++i, x >>= 8) p[i] = static_cast<char>('a' + (((x & 0xff) * 26) >> 8));
    }
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  // Every byte b of x becomes 'a' + b * 26 / 256, as the byte-by-byte loop makes it, but in 16-bit lanes: the
  // even and the odd bytes are multiplied four at a time (b * 26 < 2^16, so lanes do not spill into each other).
  // The bytes of the result are in x's order, so memcpy on a little-endian machine stores the same letters.
  static uint64_t EightLetters(uint64_t x) {
    constexpr uint64_t kLowBytes = 0x00ff00ff00ff00ffULL;
    uint64_t even = (((x & kLowBytes) * 26) >> 8) & kLowBytes;
    uint64_t odd = ((((x >> 8) & kLowBytes) * 26) >> 8) & kLowBytes;
    return (even | (odd << 8)) + 0x6161616161616161ULL;  // + 'a' in every byte; letters stay below 0x80
  }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t state_[4];
};

}  // namespace pipeline::generator
