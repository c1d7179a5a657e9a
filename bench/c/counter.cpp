// The C++ baseline of the counter benchmark (bench/counter.ts): T threads share one
// std::atomic<uint64_t>, each acquires N ids with fetch_add(1, std::memory_order_relaxed) + 1 into
// its own preallocated array -- the same loop the TypeScript workers run. The threads start
// together on a flag. Prints one JSON line. Usage: counter THREADS IDS_PER_THREAD
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

static std::atomic<uint64_t> counter{0};
static std::atomic<int> ready{0};
static std::atomic<bool> go{false};

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: counter THREADS IDS_PER_THREAD\n");
    return 2;
  }
  const int threads = std::atoi(argv[1]);
  const long n = std::atol(argv[2]);
  if (threads < 1 || n < 1) return 2;
  // Value-initialised, so every page is touched before timing (the TS workers do the same).
  std::vector<std::vector<uint64_t>> records(threads, std::vector<uint64_t>(n));
  std::vector<double> t0(threads), t1(threads);
  const auto epoch = std::chrono::steady_clock::now();
  auto since = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch).count(); };
  std::vector<std::thread> pool;
  for (int k = 0; k < threads; k++) {
    pool.emplace_back([&, k] {
      uint64_t* rec = records[k].data();
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      t0[k] = since();
      for (long i = 0; i < n; i++) rec[i] = counter.fetch_add(1, std::memory_order_relaxed) + 1;
      t1[k] = since();
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  go.store(true, std::memory_order_release);
  for (auto& t : pool) t.join();
  double first = t0[0], last = t1[0];
  for (int k = 0; k < threads; k++) {
    if (t0[k] < first) first = t0[k];
    if (t1[k] > last) last = t1[k];
  }
  // Sanity: every id handed out exactly once means the final value is threads * n.
  const bool ok = counter.load() == static_cast<uint64_t>(threads) * static_cast<uint64_t>(n);
  uint64_t sum = 0;
  for (auto& r : records) sum += r[n - 1];  // keep the stores observable
  std::printf("{\"threads\":%d,\"ids\":%ld,\"seconds\":%.9f,\"ok\":%s,\"sink\":%llu}\n", threads, n * threads, last - first,
              ok ? "true" : "false", static_cast<unsigned long long>(sum));
  return ok ? 0 : 1;
}
