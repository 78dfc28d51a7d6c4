#include "model/number.h"

#include "model/decimal.h"

namespace fdyno::model {

Result<std::string> normalizeNumber(std::string_view text) {
  FDYNO_ASSIGN_OR_RETURN(Decimal d, Decimal::parse(text));
  return d.toString();
}

namespace {

// A normalized magnitude split at the decimal point. "0.05" has no integer
// digits (int_part empty), so integer-digit count orders magnitudes >= 1.
struct Magnitude {
  std::string_view int_part;
  std::string_view frac_part;
};

Magnitude splitMagnitude(std::string_view m) {
  size_t dot = m.find('.');
  std::string_view ip = dot == std::string_view::npos ? m : m.substr(0, dot);
  std::string_view fp = dot == std::string_view::npos ? std::string_view() : m.substr(dot + 1);
  if (ip == "0") ip = {};
  return {ip, fp};
}

int sign3(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

int compareMagnitudes(std::string_view a, std::string_view b) {
  Magnitude x = splitMagnitude(a), y = splitMagnitude(b);
  if (x.int_part.size() != y.int_part.size()) return x.int_part.size() < y.int_part.size() ? -1 : 1;
  if (int c = x.int_part.compare(y.int_part); c != 0) return sign3(c);
  // Fractions have no trailing zeros, so plain lexicographic order is numeric
  // order ("05" < "1", "1" < "11").
  return sign3(x.frac_part.compare(y.frac_part));
}

}  // namespace

int compareNumbers(std::string_view a, std::string_view b) {
  // Allocation-free: this runs for every sort-key comparison and condition.
  const bool na = !a.empty() && a[0] == '-';
  const bool nb = !b.empty() && b[0] == '-';
  const int sa = na ? -1 : (a == "0" ? 0 : 1);
  const int sb = nb ? -1 : (b == "0" ? 0 : 1);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  int mag = compareMagnitudes(na ? a.substr(1) : a, nb ? b.substr(1) : b);
  return na ? -mag : mag;
}

}  // namespace fdyno::model
