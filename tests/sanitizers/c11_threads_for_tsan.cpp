// librdkafka uses C11 threads (thrd_create, mtx_*, cnd_*, call_once), which glibc 2.36 implements with its internal
// pthread functions, not with the pthread calls ThreadSanitizer intercepts (gcc 12's libtsan has no C11
// interceptors). So TSan would know neither librdkafka's threads (the first malloc of one crashes inside TSan's
// allocator) nor its locks (every record handed to a delivery-report thread would look like a race). Linked into
// thread_tests only, these definitions take the place of glibc's for librdkafka and forward each call to its
// pthread twin, which TSan intercepts. glibc lays out mtx_t, cnd_t and once_flag as their pthread twins.
// librdkafka hands its locks between threads with atomics TSan cannot see, so each forwarded call checks no memory
// access of its own (the lock's bytes): TSan still learns the ordering every lock and condition gives.
#include <errno.h>
#include <pthread.h>
#include <threads.h>

#include <cstdint>
#include <new>

namespace {

struct C11Start {
  thrd_start_t function;
  void* argument;
};

void* RunC11Thread(void* start) {
  C11Start call = *static_cast<C11Start*>(start);
  delete static_cast<C11Start*>(start);
  return reinterpret_cast<void*>(static_cast<intptr_t>(call.function(call.argument)));  // what thrd_join reads
}

// glibc's thrd_err_map.
int C11Result(int error) {
  switch (error) {
    case 0: return thrd_success;
    case ENOMEM: return thrd_nomem;
    case ETIMEDOUT: return thrd_timedout;
    case EBUSY: return thrd_busy;
    default: return thrd_error;
  }
}

// TSan's dynamic annotations (weak: thread_tests also links without TSan, where they are absent).
extern "C" void AnnotateIgnoreReadsBegin(const char* file, int line) __attribute__((weak));
extern "C" void AnnotateIgnoreReadsEnd(const char* file, int line) __attribute__((weak));
extern "C" void AnnotateIgnoreWritesBegin(const char* file, int line) __attribute__((weak));
extern "C" void AnnotateIgnoreWritesEnd(const char* file, int line) __attribute__((weak));

// The forwarded call's own reads and writes of the lock are not checked; its ordering is.
template <typename Call>
int Unchecked(Call call) {
  if (AnnotateIgnoreReadsBegin) AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
  if (AnnotateIgnoreWritesBegin) AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
  int result = call();
  if (AnnotateIgnoreWritesEnd) AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
  if (AnnotateIgnoreReadsEnd) AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
  return result;
}

pthread_mutex_t* Pthread(mtx_t* mutex) { return reinterpret_cast<pthread_mutex_t*>(mutex); }
pthread_cond_t* Pthread(cnd_t* condition) { return reinterpret_cast<pthread_cond_t*>(condition); }

}  // namespace

extern "C" {

int thrd_create(thrd_t* thread, thrd_start_t function, void* argument) {
  auto* start = new (std::nothrow) C11Start{function, argument};
  if (!start) return thrd_nomem;
  int error = pthread_create(thread, nullptr, RunC11Thread, start);
  if (error != 0) delete start;
  return error == EAGAIN ? thrd_nomem : C11Result(error);
}

int thrd_join(thrd_t thread, int* result) {
  void* returned = nullptr;
  int error = pthread_join(thread, &returned);
  if (error == 0 && result) *result = static_cast<int>(reinterpret_cast<intptr_t>(returned));
  return C11Result(error);
}

int thrd_detach(thrd_t thread) { return C11Result(pthread_detach(thread)); }

int mtx_init(mtx_t* mutex, int type) {
  pthread_mutexattr_t attributes;
  pthread_mutexattr_init(&attributes);
  if (type & mtx_recursive) pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
  int error = Unchecked([&] { return pthread_mutex_init(Pthread(mutex), &attributes); });
  pthread_mutexattr_destroy(&attributes);
  return C11Result(error);
}

int mtx_lock(mtx_t* mutex) { return C11Result(Unchecked([&] { return pthread_mutex_lock(Pthread(mutex)); })); }
int mtx_trylock(mtx_t* mutex) { return C11Result(Unchecked([&] { return pthread_mutex_trylock(Pthread(mutex)); })); }
int mtx_timedlock(mtx_t* __restrict mutex, const struct timespec* __restrict until) {
  return C11Result(Unchecked([&] { return pthread_mutex_timedlock(Pthread(mutex), until); }));
}
int mtx_unlock(mtx_t* mutex) { return C11Result(Unchecked([&] { return pthread_mutex_unlock(Pthread(mutex)); })); }
void mtx_destroy(mtx_t* mutex) { Unchecked([&] { return pthread_mutex_destroy(Pthread(mutex)); }); }

int cnd_init(cnd_t* condition) { return C11Result(Unchecked([&] { return pthread_cond_init(Pthread(condition), nullptr); })); }
int cnd_signal(cnd_t* condition) { return C11Result(Unchecked([&] { return pthread_cond_signal(Pthread(condition)); })); }
int cnd_broadcast(cnd_t* condition) {
  return C11Result(Unchecked([&] { return pthread_cond_broadcast(Pthread(condition)); }));
}
int cnd_wait(cnd_t* condition, mtx_t* mutex) {
  return C11Result(Unchecked([&] { return pthread_cond_wait(Pthread(condition), Pthread(mutex)); }));
}
int cnd_timedwait(cnd_t* __restrict condition, mtx_t* __restrict mutex, const struct timespec* __restrict until) {
  return C11Result(Unchecked([&] { return pthread_cond_timedwait(Pthread(condition), Pthread(mutex), until); }));
}
void cnd_destroy(cnd_t* condition) { Unchecked([&] { return pthread_cond_destroy(Pthread(condition)); }); }

void call_once(once_flag* flag, void (*function)(void)) {
  Unchecked([&] { return pthread_once(reinterpret_cast<pthread_once_t*>(flag), function); });
}

}  // extern "C"
