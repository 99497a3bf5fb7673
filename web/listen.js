// Listening: the operator hears one signal at a time in this browser — a microphone or
// booth before its fader, or a language track as broadcast — about a quarter of a
// second behind the hall. The server sends the signal's Opus packets (20 ms each) only
// to the client that asked (listen.start), and encodes it only while someone listens.
// Here WebCodecs' AudioDecoder decodes them and Web Audio plays them through a gain
// node, this browser's listening volume:
//
//   packet ─► AudioDecoder ─► AudioBufferSourceNode (scheduled back to back) ─► gain ─► out
//
// Packets are played back to back with a small cushion against network jitter; a
// cushion grown past MAX_AHEAD_S (the tab was in the background, the network stalled)
// is dropped, so the delay behind the hall never creeps up.

// How far ahead of the output the first packet after a gap is scheduled.
const CUSHION_S = 0.06;
// More than this queued ahead and the queue starts afresh.
const MAX_AHEAD_S = 0.25;
const VOLUME_KEY = "hallcast.listen.volume";

export class Listening {
  // `request(message)` sends a request and resolves with its reply; `onChange(tap)`
  // hears which tap plays now ("" for none).
  constructor({ request, onChange }) {
    this.request = request;
    this.onChange = onChange;
    this.tap = "";
    this.context = null;
    this.gain = null;
    this.decoder = null;
    this.nextTime = 0;
    this.timestamp = 0;
    this.delayMs = null; // hall to this browser's output, smoothed
    this.captured = []; // when each packet sent to the decoder was in the hall
    const saved = localStorage.getItem(VOLUME_KEY);
    const volume = saved === null ? NaN : Number(saved);
    this.volume = volume >= 0 && volume <= 1 ? volume : 0.8;
  }

  static supported() {
    return typeof AudioDecoder === "function" && typeof AudioContext === "function";
  }

  // From a click: browsers let a page start its sound only from a user's gesture.
  async toggle(tap) {
    if (this.tap === tap) return this.stop();
    this.ensureOutput();
    const reply = await this.request(
      tap.startsWith("source:")
        ? { cmd: "listen.start", source: tap.slice(7) }
        : { cmd: "listen.start", track: tap.slice(6) },
    );
    if (!reply.ok) return reply;
    this.resetDecoder();
    this.tap = tap;
    this.onChange(tap);
    return reply;
  }

  async stop() {
    if (!this.tap) return { ok: true };
    this.tap = "";
    this.closeDecoder();
    this.onChange("");
    return this.request({ cmd: "listen.stop" });
  }

  // The connection dropped: the server has forgotten this client's listening.
  lost() {
    if (!this.tap) return;
    this.tap = "";
    this.closeDecoder();
    this.onChange("");
  }

  setVolume(volume) {
    this.volume = Math.min(1, Math.max(0, volume));
    localStorage.setItem(VOLUME_KEY, String(this.volume));
    if (this.gain) this.gain.gain.setTargetAtTime(this.volume, this.context.currentTime, 0.02);
  }

  ensureOutput() {
    if (!this.context) {
      this.context = new AudioContext({ latencyHint: "interactive", sampleRate: 48000 });
      this.gain = new GainNode(this.context, { gain: this.volume });
      this.gain.connect(this.context.destination);
    }
    if (this.context.state === "suspended") this.context.resume();
  }

  resetDecoder() {
    this.closeDecoder();
    this.nextTime = 0;
    this.delayMs = null;
    this.captured = [];
    this.decoder = new AudioDecoder({
      output: (data) => this.play(data),
      error: () => {
        // A broken stream: start afresh with the next packet.
        this.decoder = null;
      },
    });
  }

  closeDecoder() {
    if (this.decoder && this.decoder.state !== "closed") this.decoder.close();
    this.decoder = null;
  }

  // One binary message: {listen, type, rate, channels, captured_ms} and an Opus packet.
  packet(header, bytes) {
    if (header.listen !== this.tap || !this.context) return;
    if (!this.decoder) this.resetDecoder();
    if (this.decoder.state === "unconfigured") {
      this.decoder.configure({
        codec: "opus",
        sampleRate: header.rate,
        numberOfChannels: header.channels,
      });
    }
    this.timestamp += 20000;
    // The decoder gives back one piece of sound per packet, in order.
    this.captured.push(header.captured_ms);
    if (this.captured.length > 50) this.captured.shift();
    this.decoder.decode(
      new EncodedAudioChunk({ type: "key", timestamp: this.timestamp, data: bytes }),
    );
  }

  play(data) {
    const captured = this.captured.shift();
    if (!this.tap) {
      data.close();
      return;
    }
    const buffer = new AudioBuffer({
      numberOfChannels: data.numberOfChannels,
      length: data.numberOfFrames,
      sampleRate: data.sampleRate,
    });
    for (let c = 0; c < data.numberOfChannels; c += 1) {
      const plane = new Float32Array(data.numberOfFrames);
      data.copyTo(plane, { planeIndex: c, format: "f32-planar" });
      buffer.copyToChannel(plane, c);
    }
    data.close();
    const now = this.context.currentTime;
    if (this.nextTime < now || this.nextTime > now + MAX_AHEAD_S) {
      this.nextTime = now + CUSHION_S;
    }
    const source = new AudioBufferSourceNode(this.context, { buffer });
    source.connect(this.gain);
    source.start(this.nextTime);
    if (captured !== undefined) this.measure(this.nextTime, captured);
    this.nextTime += buffer.duration;
  }

  // When this packet's first sample leaves the speakers, by the wall clock, less when
  // it was in the hall.
  measure(contextTime, captured) {
    const context = this.context;
    const stamp = context.getOutputTimestamp?.();
    // The output's own clock where the browser has one; else the context's time now
    // plus what it says its output adds.
    const out =
      stamp && stamp.performanceTime
        ? performance.timeOrigin + stamp.performanceTime + (contextTime - stamp.contextTime) * 1000
        : performance.timeOrigin +
          performance.now() +
          (contextTime - context.currentTime + (context.outputLatency || context.baseLatency || 0)) *
            1000;
    const delay = out - captured;
    this.delayMs = this.delayMs === null ? delay : this.delayMs * 0.9 + delay * 0.1;
  }
}
