// Sizes and times as rkt's vendored go-humanize and Go's time.Format print them.
#include "rkt/core/util/humanize.hpp"

#include <time.h>

#include <cmath>
#include <cstdio>
#include <limits>

namespace rkt::util {
namespace {

constexpr std::int64_t kMinute = 60;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kWeek = 7 * kDay;
constexpr std::int64_t kMonth = 30 * kDay;
constexpr std::int64_t kYear = 12 * kMonth;
constexpr std::int64_t kLongTime = 37 * kYear;

struct Magnitude {
  std::int64_t below;  // applies to differences smaller than this many seconds
  const char* format;  // "%d" = diff / divBy, "%s" = the label
  std::int64_t divBy;
};

constexpr Magnitude kMagnitudes[] = {
    {1, "now", 1},
    {2, "1 second %s", 1},
    {kMinute, "%d seconds %s", 1},
    {2 * kMinute, "1 minute %s", 1},
    {kHour, "%d minutes %s", kMinute},
    {2 * kHour, "1 hour %s", 1},
    {kDay, "%d hours %s", kHour},
    {2 * kDay, "1 day %s", 1},
    {kWeek, "%d days %s", kDay},
    {2 * kWeek, "1 week %s", 1},
    {kMonth, "%d weeks %s", kWeek},
    {2 * kMonth, "1 month %s", 1},
    {kYear, "%d months %s", kMonth},
    {18 * kMonth, "1 year %s", 1},
    {2 * kYear, "2 years %s", 1},
    {kLongTime, "%d years %s", kYear},
    {std::numeric_limits<std::int64_t>::max(), "a long while %s", 1},
};

std::int64_t unixSeconds(SystemTime t) {
  // Go's Time.Unix(): floor division, also for times before the epoch.
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  std::int64_t s = ns / 1000000000;
  if (ns % 1000000000 < 0) {
    --s;
  }
  return s;
}

}  // namespace

std::string humanizeIBytes(std::uint64_t bytes) {
  static const char* const kSizes[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  char buf[64];
  if (bytes < 10) {
    std::snprintf(buf, sizeof buf, "%lluB", static_cast<unsigned long long>(bytes));
    return buf;
  }
  const double s = static_cast<double>(bytes);
  const double e = std::floor(std::log(s) / std::log(1024.0));
  const double val = s / std::pow(1024.0, e);
  std::snprintf(buf, sizeof buf, val < 10 ? "%.1f%s" : "%.0f%s", val, kSizes[static_cast<int>(e)]);
  return buf;
}

std::string humanizeTime(SystemTime then, SystemTime now) {
  const char* label = "ago";
  std::int64_t diff = unixSeconds(now) - unixSeconds(then);
  if (then > now) {
    label = "from now";
    diff = unixSeconds(then) - unixSeconds(now);
  }
  const Magnitude* mag = &kMagnitudes[0];
  for (const Magnitude& m : kMagnitudes) {
    mag = &m;
    if (m.below > diff) {
      break;
    }
  }
  std::string out;
  for (const char* p = mag->format; *p != '\0'; ++p) {
    if (p[0] == '%' && p[1] == 'd') {
      out += std::to_string(diff / mag->divBy);
      ++p;
    } else if (p[0] == '%' && p[1] == 's') {
      out += label;
      ++p;
    } else {
      out += *p;
    }
  }
  return out;
}

std::string formatLongTime(SystemTime t) {
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  const std::int64_t secs = unixSeconds(t);
  const std::int64_t millis = (ns - secs * 1000000000) / 1000000;
  const time_t tt = static_cast<time_t>(secs);
  struct tm tm {};
  localtime_r(&tt, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
  std::string out = date;
  if (millis != 0) {
    char frac[32];
    std::snprintf(frac, sizeof frac, ".%03lld", static_cast<long long>(millis));
    std::string f = frac;
    while (f.back() == '0') {
      f.pop_back();
    }
    out += f;
  }
  const long off = tm.tm_gmtoff;
  const long absOff = off < 0 ? -off : off;
  char zone[32];
  std::snprintf(zone, sizeof zone, " %c%02ld%02ld", off < 0 ? '-' : '+', absOff / 3600,
                (absOff % 3600) / 60);
  out += zone;
  if (tm.tm_zone != nullptr && tm.tm_zone[0] != '\0') {
    out += ' ';
    out += tm.tm_zone;
  } else {
    out += zone;  // Go prints the numeric offset again when the zone has no abbreviation
  }
  return out;
}

}  // namespace rkt::util
