// The panel's parts for the show's day, in headless Chromium against the real program:
// the clock in the event's time zone, the time to the start and the next cue, Skip and
// Run now (on the bar and in the cue list), and the caption form — a questioner's
// caption made in Cyrillic with an English line, reworded, deleted; a title corrected.
// Judged on the engine's state (its own WebSocket) and on the page.
#include <ctime>

#include "web/panel_fixture.h"

namespace hallcast::testing {
namespace {

std::string text_of(const std::string& id) {
  return "document.getElementById(" + js(id) + ").textContent";
}

// A show of their own: the cues and the armed destination as the show launched them.
class ShowDayPanelTest : public PanelTest {};

json find_cue(const json& state, int index) {
  for (const json& cue : state["schedule"]) {
    if (cue["index"] == index) {
      return cue;
    }
  }
  return json();
}

TEST_F(ShowDayPanelTest, ShowsTheClockTheTimeToTheStartAndTheNextCue) {
  Page& page = open_panel(ShowUnderTest::operator_token);
  ASSERT_TRUE(page_shows(page, text_of("clock-start") + ".startsWith('Starts in ')"));

  // The time of day in the event's zone (Moscow, UTC+3), within a couple of seconds.
  const std::string clock = page.evaluate(text_of("clock-time")).get<std::string>();
  ASSERT_EQ(clock.size(), 8u) << clock;
  const std::time_t now = std::time(nullptr) + 3 * 3600;
  std::tm moscow{};
  gmtime_r(&now, &moscow);
  const int shown_s = std::stoi(clock.substr(0, 2)) * 3600 + std::stoi(clock.substr(3, 2)) * 60 +
                      std::stoi(clock.substr(6, 2));
  const int expected_s = moscow.tm_hour * 3600 + moscow.tm_min * 60 + moscow.tm_sec;
  EXPECT_LE(std::abs(shown_s - expected_s) % (24 * 3600), 3) << clock;

  // Starts in about ten minutes: "Starts in 9:5x".
  const std::string starts = page.evaluate(text_of("clock-start")).get<std::string>();
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(
                        show().event_start() - std::chrono::system_clock::now())
                        .count();
  const auto colon = starts.find(':');
  ASSERT_NE(colon, std::string::npos) << starts;
  const int shown_left =
      std::stoi(starts.substr(10, colon - 10)) * 60 + std::stoi(starts.substr(colon + 1));
  EXPECT_NEAR(shown_left, left, 3) << starts;

  // The next cue: the first of the list (-5m, overlay.show slate), about 5 min ahead, its
  // command in words with the caption's own label.
  ASSERT_TRUE(page_shows(page, "document.getElementById('next-cue').dataset.cue === '0'"));
  const std::string next = page.evaluate(text_of("next-cue-text")).get<std::string>();
  const std::string slate = find_by(show().state()["overlays"], "id", "slate")["label"];
  EXPECT_EQ(next.rfind("Next cue: ", 0), 0u) << next;
  EXPECT_NE(next.find("show " + slate), std::string::npos) << next;
  EXPECT_NE(next.find("in 4:"), std::string::npos) << next;

  // The spare destination is not enabled: armed, shown as ready until it is started.
  ASSERT_TRUE(page_shows(page,
                         "document.querySelector('[data-output=spare] .status')"
                         "?.textContent === 'ready'"));
  EXPECT_EQ(page.evaluate("document.querySelector('[data-output=spare]').dataset.ready"), "true");
  EXPECT_EQ(page.evaluate("document.querySelector('[data-output=site] .status').textContent"),
            "on air");
  save(page, "panel-clock-and-next-cue.png");
}

TEST_F(ShowDayPanelTest, TheClockTheCuesAndTheCaptionFormSpeakRussian) {
  Page& page = open_panel(ShowUnderTest::operator_token, "ru-RU");
  ASSERT_TRUE(page_shows(page, text_of("clock-start") + ".startsWith('До начала ')"));
  ASSERT_TRUE(page_shows(page, "document.getElementById('next-cue').dataset.cue === '0'"));
  const json bar = page.evaluate(R"js((() => ({
    next: document.getElementById("next-cue-text").textContent,
    skip: document.getElementById("next-skip").textContent,
    run: document.getElementById("next-run").textContent,
    cues: document.getElementById("open-cues").textContent,
    spare: document.querySelector("[data-output=spare] .status").textContent,
  }))())js");
  const std::string slate = find_by(show().state()["overlays"], "id", "slate")["label"];
  EXPECT_EQ(bar["next"].get<std::string>().rfind("Далее: ", 0), 0u) << bar;
  EXPECT_NE(bar["next"].get<std::string>().find("показать: " + slate + " — через 4:"),
            std::string::npos)
      << bar;
  EXPECT_EQ(bar["skip"], "Пропустить") << bar;
  EXPECT_EQ(bar["run"], "Выполнить") << bar;
  EXPECT_EQ(bar["cues"], "Расписание…") << bar;
  EXPECT_EQ(bar["spare"], "наготове") << bar;

  // The cue list: its headings, statuses and commands.
  page.click("#open-cues");
  ASSERT_TRUE(page_shows(page, "document.getElementById('cues').open"));
  EXPECT_EQ(page.evaluate("[...document.querySelectorAll('#cues th')].map((th) => th.textContent)"),
            json({"#", "Время", "Задано", "Команда", "Состояние", ""}));
  EXPECT_EQ(page.evaluate("[...document.querySelectorAll('#cue-list tr')].map((row) => "
                          "row.querySelector('.command').textContent + ' / ' + "
                          "row.querySelector('.status').textContent)"),
            json({"показать: " + slate + " / ждёт", "в эфир: Wide + PiP / ждёт",
                  "стоп: Recording / ждёт"}));
  const std::string cue_list =
      page.evaluate("document.getElementById('cues').innerText").get<std::string>();
  page.click("#cues-close");
  ASSERT_TRUE(page_shows(page, "!document.getElementById('cues').open"));

  // The caption form.
  page.click("#caption-new");
  ASSERT_TRUE(page_shows(page, "document.getElementById('caption-dialog').open"));
  const json form = page.evaluate(R"js((() => ({
    heading: document.getElementById("caption-heading").textContent,
    labels: [...document.querySelectorAll("#caption-dialog label")].map((l) => l.textContent),
    types: [...document.querySelectorAll("#caption-type option")].map((o) => o.textContent),
    buttons: [...document.querySelectorAll("#caption-dialog .dialog-buttons button")]
        .filter((b) => !b.hidden).map((b) => b.textContent),
    text: document.getElementById("caption-dialog").innerText,
  }))())js");
  EXPECT_EQ(form["heading"], "Новый титр") << form;
  EXPECT_EQ(form["labels"], json({"Вид", "Имя", "Должность", "Второй язык", "Имя на нём",
                                  "Должность на нём", "Текст"}))
      << form;
  EXPECT_EQ(form["types"], json({"Плашка", "Заставка"})) << form;
  EXPECT_EQ(form["buttons"], json({"Отмена", "Сохранить", "Сохранить и показать"})) << form;
  save(page, "panel-show-day-ru.png");
  page.click("#caption-cancel");
  ASSERT_TRUE(page_shows(page, "!document.getElementById('caption-dialog').open"));

  // No English word where Russian was due, on the panel, in the cue list or in the form.
  const std::string text = page.evaluate("document.body.innerText").get<std::string>() + "\n" +
                           cue_list + "\n" + form["text"].get<std::string>();
  EXPECT_EQ(text.find('{'), std::string::npos) << text;
  for (const char* english :
       {"Starts", "Started", "Next cue", "Skip", "Run now", "Cues", "ready", "waiting",
        "New caption", "Save", "Name", "Role", "Countdown", "show ", "cut to", "stop "}) {
    EXPECT_EQ(text.find(english), std::string::npos) << english << " in:\n" << text;
  }

  // Opened again with the session it holds (no login form on the way): Russian still,
  // the page's own texts as well as those built from the state.
  page.navigate(show().url());
  ASSERT_TRUE(page_shows(page,
                         "!document.getElementById('panel').hidden && "
                         "document.getElementById('next-cue').dataset.cue === '0'",
                         10s));
  const json again = page.evaluate(R"js((() => ({
    language: document.getElementById("ui-language").value,
    skip: document.getElementById("next-skip").textContent,
    goLive: document.getElementById("go-live").textContent,
    start: document.getElementById("clock-start").textContent,
  }))())js");
  EXPECT_EQ(again["language"], "ru") << again;
  EXPECT_EQ(again["skip"], "Пропустить") << again;
  EXPECT_EQ(again["goLive"], "В эфир…") << again;
  EXPECT_EQ(again["start"].get<std::string>().rfind("До начала ", 0), 0u) << again;
}

TEST_F(ShowDayPanelTest, SkipsTheNextCueAndRunsAnotherNow) {
  ASSERT_NO_FATAL_FAILURE(reset_show("wide", "close"));
  Page& page = open_panel(ShowUnderTest::operator_token);
  ASSERT_TRUE(page_shows(page, "document.getElementById('next-cue').dataset.cue === '0'"));

  page.click("#next-skip");
  ASSERT_TRUE(show().reaches(
      "cue 0 skipped", [](const json& s) { return find_cue(s, 0)["status"] == "skipped"; }, 3s));
  EXPECT_FALSE(show().state()["overlays"][1]["visible"]) << "a skipped cue does not run";
  // The next one is now cue 1 (+0s, scene.cut pip).
  ASSERT_TRUE(page_shows(page, "document.getElementById('next-cue').dataset.cue === '1'"));
  EXPECT_NE(page.evaluate(text_of("next-cue-text")).get<std::string>().find("cut to Wide + PiP"),
            std::string::npos);

  // Run now asks first; Cancel runs nothing.
  page.click("#next-run");
  ASSERT_TRUE(page_shows(page, "document.getElementById('confirm').open"));
  page.click("#confirm button[value=cancel]");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(find_cue(show().state(), 1)["status"], "pending");
  page.click("#next-run");
  ASSERT_TRUE(page_shows(page, "document.getElementById('confirm').open"));
  page.click("#confirm-ok");
  ASSERT_TRUE(show().reaches(
      "cue 1 ran", [](const json& s) { return find_cue(s, 1)["status"] == "ran"; }, 3s));
  EXPECT_EQ(show().state()["program"], "pip") << "its command ran";
  ASSERT_TRUE(page_shows(page, has_class(scene_button("pip"), "on-program")));
  ASSERT_TRUE(page_shows(page, "document.getElementById('next-cue').dataset.cue === '2'"));

  // The whole list, each cue with what became of it; a done cue can still be run.
  page.click("#open-cues");
  ASSERT_TRUE(page_shows(page, "document.getElementById('cues').open"));
  EXPECT_EQ(page.evaluate("[...document.querySelectorAll('#cue-list tr')]"
                          ".map((row) => row.dataset.status + ':' + "
                          "row.querySelector('.status').textContent)"),
            json({"skipped:skipped", "ran:done", "pending:waiting"}));
  EXPECT_EQ(page.evaluate("document.querySelector('#cue-list tr[data-cue=\"0\"] .skip')"), nullptr)
      << "a skipped cue cannot be skipped again";
  save(page, "panel-cue-list.png");
  page.click("#cue-list tr[data-cue=\"0\"] .run");
  ASSERT_TRUE(page_shows(page, "document.getElementById('confirm').open"));
  page.click("#confirm-ok");
  ASSERT_TRUE(show().reaches(
      "cue 0 ran", [](const json& s) { return find_cue(s, 0)["status"] == "ran"; }, 3s));
  EXPECT_TRUE(show().state()["overlays"][1]["visible"]);
}

TEST_F(ShowDayPanelTest, AViewerSeesTheClockButCannotSkipOrRun) {
  Page& page = open_panel(ShowUnderTest::viewer_token);
  ASSERT_TRUE(page_shows(page, "document.getElementById('next-cue').dataset.cue !== ''"));
  EXPECT_EQ(page.evaluate("document.getElementById('next-skip').disabled && "
                          "document.getElementById('next-run').disabled"),
            true);
}

TEST_F(ShowDayPanelTest, TheCaptionFormMakesRewordsAndDeletesCaptions) {
  ASSERT_NO_FATAL_FAILURE(reset_show("wide", "close"));
  Page& page = open_panel(ShowUnderTest::operator_token);

  // A questioner from the floor, in Cyrillic, with an English line under it.
  page.click("#caption-new");
  ASSERT_TRUE(page_shows(page, "document.getElementById('caption-dialog').open"));
  page.click("#caption-name");
  page.type("Мария Иванова");
  page.click("#caption-role");
  page.type("МГИМО");
  page.click("#caption-language");
  page.type("en");
  page.click("#caption-name2");
  page.type("Maria Ivanova");
  save(page, "panel-caption-form.png");
  page.click("#caption-save-show");
  ASSERT_TRUE(show().reaches(
      "the questioner's caption on air",
      [](const json& s) {
        const json o = find_by(s["overlays"], "id", "caption-1");
        return !o.is_null() && o["visible"] == true;
      },
      3s));
  const json made = find_by(show().state()["overlays"], "id", "caption-1");
  EXPECT_EQ(made["type"], "lower_third");
  EXPECT_EQ(made["name"], "Мария Иванова");
  EXPECT_EQ(made["role"], "МГИМО");
  EXPECT_EQ(made["forms"],
            json::parse(R"([{"language": "en", "name": "Maria Ivanova", "role": ""}])"));
  EXPECT_EQ(made["created"], true);
  ASSERT_TRUE(page_shows(page,
                         "document.querySelector('#overlays button.overlay[data-overlay="
                         "\"caption-1\"]')?.classList.contains('on')"));
  EXPECT_EQ(page.evaluate("document.querySelector('#overlays button.overlay[data-overlay="
                          "\"caption-1\"] .name').textContent"),
            "Мария Иванова");

  // Reworded: a corrected surname, the English line given up.
  page.click("#overlays [data-overlay-item=\"caption-1\"] .edit");
  ASSERT_TRUE(page_shows(page, "document.getElementById('caption-dialog').open"));
  EXPECT_EQ(page.evaluate("document.getElementById('caption-name').value"), "Мария Иванова");
  page.evaluate("document.getElementById('caption-name').value = ''");
  page.click("#caption-name");
  page.type("Мария Петрова");
  page.evaluate("document.getElementById('caption-language').value = ''");
  page.click("#caption-save");
  ASSERT_TRUE(show().reaches(
      "the corrected caption",
      [](const json& s) {
        const json o = find_by(s["overlays"], "id", "caption-1");
        return !o.is_null() && o["name"] == "Мария Петрова" && o["forms"].empty();
      },
      3s));
  ASSERT_TRUE(page_shows(page,
                         "document.querySelector('#overlays button.overlay[data-overlay="
                         "\"caption-1\"] .name')?.textContent === 'Мария Петрова'"));

  // A title corrected in place.
  page.click("#overlays [data-overlay-item=\"slate\"] .edit");
  ASSERT_TRUE(page_shows(page, "!document.getElementById('caption-title').hidden"));
  page.evaluate("document.getElementById('caption-text').value = ''");
  page.click("#caption-text");
  page.type("Начало в 11:05");
  page.click("#caption-save");
  ASSERT_TRUE(show().reaches(
      "the corrected title",
      [](const json& s) {
        return find_by(s["overlays"], "id", "slate")["text"] == "Начало в 11:05";
      },
      3s));
  // The new words move the buttons after it: wait for them before the next click.
  ASSERT_TRUE(page_shows(page,
                         "!document.getElementById('caption-dialog').open && "
                         "document.querySelector('#overlays button.overlay[data-overlay="
                         "\"slate\"] .name')?.textContent === 'Начало в 11:05'"));

  // Deleted, after a confirmation.
  page.click("#overlays [data-overlay-item=\"caption-1\"] .edit");
  ASSERT_TRUE(page_shows(page, "document.getElementById('caption-dialog').open"));
  page.click("#caption-delete");
  ASSERT_TRUE(page_shows(page, "document.getElementById('confirm').open"));
  page.click("#confirm-ok");
  ASSERT_TRUE(show().reaches(
      "the caption deleted",
      [](const json& s) { return find_by(s["overlays"], "id", "caption-1").is_null(); }, 3s));
  ASSERT_TRUE(page_shows(
      page, "document.querySelector('#overlays [data-overlay=\"caption-1\"]') === null"));
  // Back as the test found it.
  show().request({{"cmd", "overlay.update"}, {"overlay", "slate"}, {"text", "Starting soon"}});
}

TEST_F(ShowDayPanelTest, TheCaptionFormSaysWhyTheServerRefused) {
  Page& page = open_panel(ShowUnderTest::operator_token);
  page.click("#overlays [data-overlay-item=\"lt-abiru\"] .edit");
  ASSERT_TRUE(page_shows(page, "document.getElementById('caption-dialog').open"));
  page.evaluate("document.getElementById('caption-name').value = ''");
  page.click("#caption-save");
  // A lower third needs a name: the form stays open and says so.
  ASSERT_TRUE(page_shows(page,
                         "!document.getElementById('caption-error').hidden && "
                         "document.getElementById('caption-error').textContent.includes('name')"));
  EXPECT_EQ(page.evaluate("document.getElementById('caption-dialog').open"), true);
  EXPECT_EQ(find_by(show().state()["overlays"], "id", "lt-abiru")["name"], "Taisuke Abiru");
}

}  // namespace
}  // namespace hallcast::testing
