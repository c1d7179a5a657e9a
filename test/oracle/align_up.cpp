// Independent oracle for the alignUp simulator: the seed report's three lines evaluated by a real
// C++ compiler on real unsigned integers. Reads "bits size alignment" lines, prints one outcome per
// line: the result, ASSERT (power-of-two test failed) or OVERFLOW (the size check failed).
#include <cstdint>
#include <iostream>
#include <limits>
#include <string>

template <typename T>
std::string align_up(T Size, T Alignment) {
  if (((Alignment - 1) & Alignment) != 0) return "ASSERT";
  if (!(Size <= std::numeric_limits<T>::max() - Alignment + 1)) return "OVERFLOW";
  return std::to_string((Size + Alignment - 1) & ~(Alignment - 1));
}

int main() {
  int bits;
  unsigned long long size, alignment;
  while (std::cin >> bits >> size >> alignment) {
    if (bits == 32) {
      std::cout << align_up<uint32_t>(static_cast<uint32_t>(size), static_cast<uint32_t>(alignment)) << '\n';
    } else {
      std::cout << align_up<uint64_t>(size, alignment) << '\n';
    }
  }
  return 0;
}
