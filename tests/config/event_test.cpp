// event.venue and event.start: the audience page shows them, and counts down to the
// start. A start must carry its offset: "11:00" in a file means nothing without a zone.
#include <gtest/gtest.h>

#include "config/iso_time.h"
#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::sys_days;

std::vector<Problem> with_start(const char* value) {
  Json document = valid_document();
  document["event"]["start"] = Json::parse(value);
  return problems_of(document);
}

TEST(Event, VenueAndStartAreRead) {
  Json document = valid_document();
  document["event"]["venue"] = "Зал «Москва», Новый Арбат 36";
  document["event"]["start"] = "2026-07-03T11:00:00+03:00";
  const Config config = parse(document.dump());
  EXPECT_EQ(config.event.venue, "Зал «Москва», Новый Арбат 36");
  EXPECT_EQ(config.event.start, "2026-07-03T11:00:00+03:00");
}

TEST(Event, NoStartAndNoVenueIsValid) {
  const Config config = parse(valid_document().dump());
  EXPECT_TRUE(config.event.start.empty());
  EXPECT_TRUE(config.event.venue.empty());
}

TEST(Event, AStartWithoutItsOffsetOrNotATimeIsRefusedAtItsPath) {
  for (const char* bad :
       {R"("2026-07-03T11:00:00")", R"("2026-07-03 11:00:00+03:00")", R"("2026-02-30T11:00:00Z")",
        R"("2026-07-03T24:00:00Z")", R"("tomorrow")", R"("2026-07-03T11:00:00+03:00 ")"}) {
    EXPECT_TRUE(only_problem(with_start(bad), "event.start", "ISO 8601")) << bad;
  }
  EXPECT_TRUE(only_problem(with_start("11"), "event.start", "string")) << listing(with_start("11"));
}

TEST(IsoTime, TheOffsetIsTakenOff) {
  const auto utc = sys_days{std::chrono::year(2026) / 7 / 3} + std::chrono::hours(8);
  EXPECT_EQ(parse_iso_time("2026-07-03T11:00:00+03:00"), utc);
  EXPECT_EQ(parse_iso_time("2026-07-03T08:00:00Z"), utc);
  EXPECT_EQ(parse_iso_time("2026-07-03T03:30:00-04:30"), utc);
  EXPECT_EQ(parse_iso_time("2026-07-03T08:00:00.250Z"), utc + milliseconds(250));
  EXPECT_EQ(parse_iso_time("2028-02-29T00:00:00Z"), sys_days{std::chrono::year(2028) / 2 / 29});
  EXPECT_FALSE(parse_iso_time("2027-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_iso_time("2026-07-03T08:00:00.Z"));
  EXPECT_FALSE(parse_iso_time("2026-07-03T08:00:00+3:00"));
  EXPECT_FALSE(parse_iso_time(""));
}

}  // namespace
}  // namespace hallcast::config::test
