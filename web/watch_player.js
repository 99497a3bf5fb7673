// The audience page's player: the programme's HLS with one audio rendition per language.
//
// Safari (macOS, iPhone, iPad) plays HLS itself and lets a page pick the audio
// rendition (video.audioTracks): there the browser's own player is used. Elsewhere
// (Chrome, Firefox, Android) hls.js plays it through Media Source Extensions; it is
// loaded only then, from this server (web/vendor/, put there by scripts/setup.sh). A
// browser with neither plays HLS natively in its default language.
//
// Whatever goes wrong (the network drops, hallcast restarts and its playlists start
// over, the picture stalls) ends the same way: the player is torn down and started
// afresh after a growing pause, so the page heals itself without a reload by hand.
import { fromHlsLanguage } from "./languages.js";

const HLS_MODULE = "/vendor/hls.js/hls.min.mjs";
const HLS_WORKER = "/vendor/hls.js/hls.worker.js";
// No progress for this long while meant to be playing: start afresh.
const STALL_MS = 12000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10000;

function nativeHls(video) {
  return video.canPlayType("application/vnd.apple.mpegurl") !== "";
}

function mediaSource() {
  return "MediaSource" in window || "ManagedMediaSource" in window;
}

export class Player {
  // `events.onState(state)`: "loading", "playing", "waiting" (no programme yet or lost),
  // "blocked" (the browser wants a tap before it plays sound; playing muted).
  constructor(video, playlist, events) {
    this.video = video;
    this.playlist = playlist;
    this.events = events;
    this.language = null;
    this.engine = null; // "native" or "hls.js"
    this.hls = null;
    this.retryMs = RETRY_MIN_MS;
    this.retryTimer = null;
    this.lastTime = -1;
    this.lastProgress = performance.now();
    this.restarts = 0;
    // Set while the player is meant to be playing but has not yet: what the watchdog
    // looks at, along with a picture that stopped. A viewer's own pause is left alone.
    this.starting = true;
    video.addEventListener("playing", () => {
      this.starting = false;
      this.retryMs = RETRY_MIN_MS;
      this.events.onState(this.video.muted && this.mutedByPolicy ? "blocked" : "playing");
    });
    video.addEventListener("timeupdate", () => this.progressed());
    video.addEventListener("error", () => this.restart());
    video.audioTracks?.addEventListener?.("addtrack", () => this.applyLanguage());
    setInterval(() => this.watchdog(), 1000);
  }

  async start() {
    this.events.onState("loading");
    const useNative =
      nativeHls(this.video) && ("audioTracks" in this.video || !mediaSource());
    if (useNative) {
      this.engine = "native";
      this.video.src = this.playlist;
      this.video.addEventListener("loadedmetadata", () => this.applyLanguage(), { once: true });
      this.play();
      return;
    }
    let Hls;
    try {
      Hls = (await import(HLS_MODULE)).default;
    } catch {
      this.events.onState("waiting");
      this.schedule();
      return;
    }
    if (!Hls.isSupported()) {
      this.events.onState("unsupported");
      return;
    }
    this.engine = "hls.js";
    this.Hls = Hls;
    this.load();
  }

  load() {
    const Hls = this.Hls;
    // Close to the live edge, for a talk show: two segments behind it, and a jump
    // forward when more than five behind (after a stall, a background tab).
    const hls = new Hls({
      workerPath: HLS_WORKER,
      liveSyncDurationCount: 2,
      liveMaxLatencyDurationCount: 5,
      // A little faster than real time while further behind than that, to win it back.
      maxLiveSyncPlaybackRate: 1.05,
      manifestLoadingMaxRetry: 2,
      levelLoadingMaxRetry: 4,
      fragLoadingMaxRetry: 4,
    });
    this.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => this.applyLanguage());
    hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, () => this.applyLanguage());
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !this.mediaRecovered) {
        this.mediaRecovered = true;
        hls.recoverMediaError();
        return;
      }
      this.restart();
    });
    hls.loadSource(this.playlist);
    hls.attachMedia(this.video);
    this.play();
  }

  // Sound first; a browser that refuses sound without a tap plays muted meanwhile.
  async play() {
    try {
      await this.video.play();
    } catch (error) {
      if (error && error.name === "NotAllowedError" && !this.video.muted) {
        this.video.muted = true;
        this.mutedByPolicy = true;
        this.events.onState("blocked");
        try {
          await this.video.play();
        } catch {
          // played once the programme arrives (autoplay is set below)
        }
      }
    }
    this.video.autoplay = true;
  }

  unmute() {
    this.mutedByPolicy = false;
    this.video.muted = false;
    this.video.play().catch(() => {});
    this.events.onState("playing");
  }

  // The audio rendition the page asks for ("floor", "en", …); applied now if the
  // programme is loaded, else once it is.
  setLanguage(language) {
    this.language = language;
    this.applyLanguage();
  }

  // The language of the rendition actually playing, or null.
  currentLanguage() {
    if (this.hls) {
      const track = this.hls.audioTracks[this.hls.audioTrack];
      return track ? fromHlsLanguage(track.lang) : null;
    }
    for (const track of this.video.audioTracks || []) {
      if (track.enabled) return fromHlsLanguage(track.language);
    }
    return null;
  }

  applyLanguage() {
    if (!this.language) return;
    if (this.hls) {
      const index = this.hls.audioTracks.findIndex((t) => fromHlsLanguage(t.lang) === this.language);
      if (index >= 0 && this.hls.audioTrack !== index) this.hls.audioTrack = index;
      return;
    }
    const tracks = Array.from(this.video.audioTracks || []);
    const wanted = tracks.find((t) => fromHlsLanguage(t.language) === this.language);
    if (wanted && !wanted.enabled) {
      for (const track of tracks) track.enabled = track === wanted;
    }
  }

  progressed() {
    if (this.video.currentTime !== this.lastTime) {
      this.lastTime = this.video.currentTime;
      this.lastProgress = performance.now();
    }
  }

  watchdog() {
    const meantToPlay = !this.video.paused || this.starting;
    if (this.engine && meantToPlay && performance.now() - this.lastProgress > STALL_MS) {
      this.restart();
    }
  }

  // Tear down and start afresh after a pause that grows with each failure.
  restart() {
    if (this.retryTimer) return;
    this.events.onState("waiting");
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
    this.video.removeAttribute("src");
    this.video.load();
    this.schedule();
  }

  schedule() {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.restarts += 1;
      this.starting = true;
      this.lastProgress = performance.now();
      this.mediaRecovered = false;
      if (this.engine === "hls.js") this.load();
      else this.start();
    }, this.retryMs);
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
  }
}
