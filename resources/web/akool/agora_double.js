// A test double of the Agora Web SDK (npm agora-rtc-sdk-ng 4.x) with an Akool avatar on the
// other end of the channel. It defines the same global `AgoraRTC` the real bundle defines and the
// part of its API bridge.js uses (createClient, client.join/leave/subscribe/publish/on/
// sendStreamMessage, createMicrophoneAudioTrack, checkSystemRequirements, getSupportedCodec;
// names and event signatures from the SDK's rtc-sdk_en.d.ts). Served as app://akool/agora.js in
// tests and --demo instead of the vendored SDK; there is no self-hostable Agora server.
//
// The "avatar" follows Akool's stream-message protocol (Akool's streaming avatar API page,
// "Live Avatar Stream Message"; AKOOL-Official/akool-streaming-avatar-react-demo
// src/providers/common/CommonMessageController.ts):
// - video: a moving test picture drawn on a canvas (captureStream) - the remote video track;
// - chat {v:2,type:"chat",mid,idx,fin,pld:{text}}: chunks are joined by mid; on fin the bot
//   answers with "event" audio_start, chat chunks {pld:{text,from:"bot"}}, "event" audio_end
//   (retell mode 1 repeats the text, dialogue mode 2 answers it);
// - command {pld:{cmd:"interrupt"|"set-params",data}}: acked as {pld:{cmd,code,msg}}, code 1000
//   on success; interrupt stops the answer (audio_end); set-params with an unknown mode -> 1003;
// - messages with v != 2 are ignored;
// - a message over 960 bytes, or past about 6 KB/s, is rejected (Akool's limits for the data
//   channel; the demo's messageUtils paces at this rate);
// - microphone (push-to-talk): a press and release of the published mic track makes the
//   "speech recognition" send a user line {pld:{text,from:"user"}} and the bot answers it.
// Tests steer it through AgoraRTC.__double.configure({...}) (see DEFAULTS below).
"use strict";
(function () {
  const MAX_MESSAGE_BYTES = 960;
  const RATE_BYTES_PER_S = 6144;
  const DEFAULTS = {
    joinMode: "ok",          // "ok" | "hang" (never settles, like the SDK offline) | "reject"
    joinDelayMs: 20,
    botUid: 1001,
    answerText: null,        // fixed answer instead of retell/dialogue
    chunkChars: 120,         // characters per bot chat chunk
    chunkIntervalMs: 15,
    setParamsCode: 1000,     // ack code for set-params (1000 = OK)
    expireTokenAfterMs: 0,   // >0: token-privilege-did-expire after this long in the channel
    spokenText: "Hello from the microphone",
  };
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let nextTrackId = 1;

  function agoraError(code, message) {
    const err = new Error("AgoraRTCError " + code + ": " + message);
    err.code = code;
    err.name = "AgoraRTCException";
    return err;
  }

  class Emitter {
    constructor() { this._handlers = {}; }
    on(name, fn) { (this._handlers[name] = this._handlers[name] || []).push(fn); }
    off(name, fn) { this._handlers[name] = (this._handlers[name] || []).filter(h => h !== fn); }
    removeAllListeners(name) {
      if (name === undefined) this._handlers = {}; else delete this._handlers[name];
    }
    emit(name, ...args) { for (const fn of (this._handlers[name] || []).slice()) fn(...args); }
  }

  // ------------------------------------------------------------------ remote media

  class TestPicture {
    constructor() {
      this.canvas = document.createElement("canvas");
      this.canvas.width = 640;
      this.canvas.height = 360;
      this.frame = 0;
      this.timer = setInterval(() => this.draw(), 33);
      this.draw();
      this.stream = this.canvas.captureStream(30);
    }
    draw() {
      const g = this.canvas.getContext("2d");
      const w = this.canvas.width, h = this.canvas.height, t = this.frame++;
      g.fillStyle = "#203040";
      g.fillRect(0, 0, w, h);
      const colours = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4"];
      for (let i = 0; i < colours.length; i++) {
        g.fillStyle = colours[i];
        g.fillRect(i * w / colours.length, h - 40, w / colours.length, 40);
      }
      g.fillStyle = "#ffffff";
      g.beginPath();
      g.arc((t * 6) % w, h / 2 - 20, 40, 0, 2 * Math.PI);
      g.fill();
      g.font = "24px sans-serif";
      g.fillText("Akool test double  frame " + t, 16, 36);
    }
    stop() { clearInterval(this.timer); }
  }

  class RemoteVideoTrack {
    constructor(picture) { this.picture = picture; this.trackMediaType = "video"; this.el = null; }
    getTrackId() { return "remote-video"; }
    play(target, config) {
      const parent = typeof target === "string" ? document.getElementById(target) : target;
      const wrap = document.createElement("div");
      wrap.style.cssText = "width:100%;height:100%;position:relative;overflow:hidden";
      const el = document.createElement("video");
      el.autoplay = true; el.muted = true; el.playsInline = true;
      el.style.cssText = "width:100%;height:100%;object-fit:" + ((config && config.fit) || "cover");
      el.srcObject = this.picture.stream;
      wrap.appendChild(el);
      parent.appendChild(wrap);
      this.el = el;
      el.play().catch(() => { /* reported through the element's events */ });
    }
    get isPlaying() { return !!this.el && !this.el.paused; }
    stop() { if (this.el) { this.el.parentNode.remove(); this.el = null; } }
  }

  class RemoteAudioTrack {
    constructor() { this.trackMediaType = "audio"; this.playing = false; }
    getTrackId() { return "remote-audio"; }
    play() { this.playing = true; }  // the double's avatar is silent: nothing to render
    get isPlaying() { return this.playing; }
    stop() { this.playing = false; }
  }

  // ------------------------------------------------------------------ local microphone

  class MicrophoneTrack {
    constructor(stream, owner) {
      this.stream = stream; this.owner = owner; this.muted = false; this.enabled = true;
      this.trackMediaType = "audio"; this.id = "mic-" + nextTrackId++;
    }
    getTrackId() { return this.id; }
    async setMuted(muted) {
      const wasTalking = !this.muted;
      this.muted = !!muted;
      if (this.owner && muted && wasTalking) this.owner._heardSpeech();
    }
    async setEnabled(on) { return this.setMuted(!on); }
    stop() {}
    close() { for (const t of this.stream.getTracks()) t.stop(); this.owner = null; }
  }

  // ------------------------------------------------------------------ the client

  class Client extends Emitter {
    constructor(config) {
      super();
      this.config = config;
      this.connectionState = "DISCONNECTED";
      this.uid = undefined;
      this.channelName = undefined;
      this.localTracks = [];
      this.remoteUsers = [];
      this._timers = new Set();
      this._parts = {};
      this._sent = [];          // [time, bytes] of the last second, for the rate limit
      this._mode = 2;
      this._answering = null;
      this._picture = null;
      Double.clients.push(this);
    }
    _later(ms, fn) {
      const id = setTimeout(() => { this._timers.delete(id); fn(); }, ms);
      this._timers.add(id);
      return id;
    }
    _state(next, reason) {
      const prev = this.connectionState;
      this.connectionState = next;
      this.emit("connection-state-change", next, prev, reason);
    }
    join(appid, channel, token, uid) {
      if (this.connectionState !== "DISCONNECTED") {
        return Promise.reject(agoraError("INVALID_OPERATION", "already in a channel"));
      }
      this._state("CONNECTING");
      const cfg = Double.config;
      if (cfg.joinMode === "hang") return new Promise(() => {});
      return new Promise((resolve, reject) => {
        this._later(cfg.joinDelayMs, () => {
          if (cfg.joinMode === "reject" || !appid || !token) {
            this._state("DISCONNECTED", "INVALID_TOKEN");
            reject(agoraError("CAN_NOT_GET_GATEWAY_SERVER", "invalid token, authorized failed"));
            return;
          }
          this.uid = uid === undefined || uid === null ? 4242 : uid;
          this.channelName = channel;
          this._state("CONNECTED");
          resolve(this.uid);
          this._later(5, () => this._avatarArrives());
          if (cfg.expireTokenAfterMs > 0) {
            this._later(cfg.expireTokenAfterMs, () => this.emit("token-privilege-did-expire"));
          }
        });
      });
    }
    _avatarArrives() {
      this._picture = new TestPicture();
      const user = { uid: Double.config.botUid, hasVideo: true, hasAudio: true };
      user.videoTrack = new RemoteVideoTrack(this._picture);
      user.audioTrack = new RemoteAudioTrack();
      this.remoteUsers = [user];
      this.emit("user-joined", user);
      this.emit("user-published", user, "video");
      this.emit("user-published", user, "audio");
    }
    async leave() {
      this._teardown();
      if (this.connectionState !== "DISCONNECTED") this._state("DISCONNECTED", "LEAVE");
    }
    _teardown() {
      for (const id of this._timers) clearTimeout(id);
      this._timers.clear();
      for (const u of this.remoteUsers) { u.videoTrack.stop(); u.audioTrack.stop(); }
      if (this._picture) { this._picture.stop(); this._picture = null; }
      this.remoteUsers = [];
      this.localTracks = [];
      this._answering = null;
    }
    async subscribe(user, mediaType) {
      if (this.connectionState !== "CONNECTED") {
        throw agoraError("INVALID_OPERATION", "can not subscribe: not connected");
      }
      return mediaType === "video" ? user.videoTrack : user.audioTrack;
    }
    async unsubscribe() {}
    async publish(tracks) {
      if (this.connectionState !== "CONNECTED") {
        throw agoraError("INVALID_OPERATION", "can not publish: not connected");
      }
      for (const t of Array.isArray(tracks) ? tracks : [tracks]) {
        this.localTracks.push(t);
        if (t instanceof MicrophoneTrack) t.owner = this;
      }
    }
    async unpublish(tracks) {
      const gone = tracks === undefined ? this.localTracks : [].concat(tracks);
      this.localTracks = this.localTracks.filter(t => !gone.includes(t));
    }
    async sendStreamMessage(payload, _needRetry) {
      if (this.connectionState !== "CONNECTED") {
        throw agoraError("INVALID_OPERATION", "can not send stream message: not connected");
      }
      const bytes = typeof payload === "string" ? encoder.encode(payload) : payload;
      if (bytes.length > MAX_MESSAGE_BYTES) {
        throw agoraError("STREAM_MESSAGE_TOO_LARGE",
          "stream message is " + bytes.length + " bytes, more than " + MAX_MESSAGE_BYTES);
      }
      const now = performance.now();
      this._sent = this._sent.filter(([t]) => now - t < 1000);
      const inWindow = this._sent.reduce((sum, [, n]) => sum + n, 0);
      // One message of burst on top of the rate: a sender pacing at exactly 6 KB/s passes.
      if (inWindow + bytes.length > RATE_BYTES_PER_S + MAX_MESSAGE_BYTES) {
        throw agoraError("STREAM_MESSAGE_RATE_LIMIT", "more than 6 KB/s of stream messages");
      }
      this._sent.push([now, bytes.length]);
      const text = decoder.decode(bytes);
      Double.received.push(text);
      // The avatar reacts after this call returns (a microtask, not a timer: no clamping).
      Promise.resolve().then(() => this._avatarReceives(text));
    }

    // ---------------------------------------------------------------- the avatar's side

    _toUser(obj) {
      if (this.connectionState !== "CONNECTED") return;
      this.emit("stream-message", Double.config.botUid, encoder.encode(JSON.stringify(obj)));
    }
    _avatarReceives(text) {
      let msg;
      try { msg = JSON.parse(text); } catch (_) { return; }
      if (!msg || msg.v !== 2) return;
      if (msg.type === "chat") {
        const parts = this._parts[msg.mid] = this._parts[msg.mid] || [];
        parts[msg.idx] = (msg.pld && msg.pld.text) || "";
        if (msg.fin) {
          delete this._parts[msg.mid];
          this._answer(parts.join(""));
        }
      } else if (msg.type === "command") {
        const cmd = msg.pld && msg.pld.cmd;
        let code = 1000, note = "OK";
        if (cmd === "interrupt") {
          this._stopAnswer();
        } else if (cmd === "set-params") {
          const data = (msg.pld && msg.pld.data) || {};
          if (data.mode !== undefined && data.mode !== 1 && data.mode !== 2) {
            code = 1003; note = "Parameter error: mode must be 1 or 2";
          } else if (Double.config.setParamsCode !== 1000) {
            code = Double.config.setParamsCode; note = "set-params failed";
          } else if (data.mode !== undefined) {
            this._mode = data.mode;
          }
          Double.params = Object.assign({}, Double.params, code === 1000 ? data : {});
        } else {
          code = 1003; note = "unknown command";
        }
        this._toUser({ v: 2, type: "command", mid: msg.mid, pld: { cmd: cmd, code: code, msg: note } });
      }
    }
    _answer(question) {
      this._stopAnswer();
      const cfg = Double.config;
      const text = cfg.answerText !== null ? cfg.answerText
        : this._mode === 1 ? question : "You said: " + question;
      const mid = "reply-" + Date.now() + "-" + nextTrackId++;
      const chunks = [];
      for (let i = 0; i < text.length; i += cfg.chunkChars) chunks.push(text.slice(i, i + cfg.chunkChars));
      if (!chunks.length) chunks.push("");
      const answer = { mid: mid, chunks: chunks, idx: 0 };
      this._answering = answer;
      this._toUser({ v: 2, type: "event", mid: mid, pld: { event: "audio_start" } });
      const step = () => {
        if (this._answering !== answer) return;
        const idx = answer.idx++;
        const fin = idx === chunks.length - 1;
        this._toUser({ v: 2, type: "chat", mid: mid, idx: idx, fin: fin,
          pld: { text: chunks[idx], from: "bot" } });
        if (fin) {
          this._later(cfg.chunkIntervalMs, () => {
            if (this._answering !== answer) return;
            this._answering = null;
            this._toUser({ v: 2, type: "event", mid: mid, pld: { event: "audio_end" } });
          });
        } else {
          this._later(cfg.chunkIntervalMs, step);
        }
      };
      this._later(cfg.chunkIntervalMs, step);
    }
    _stopAnswer() {
      const answer = this._answering;
      if (!answer) return;
      this._answering = null;
      this._toUser({ v: 2, type: "event", mid: answer.mid, pld: { event: "audio_end" } });
    }
    _heardSpeech() {
      const mid = "asr-" + Date.now();
      const text = Double.config.spokenText;
      this._later(5, () => {
        this._toUser({ v: 2, type: "chat", mid: mid, idx: 0, fin: true,
          pld: { text: text, from: "user" } });
        this._answer(text);
      });
    }
  }

  // ------------------------------------------------------------------ the module

  const Double = {
    config: Object.assign({}, DEFAULTS),
    clients: [],
    received: [],     // every stream message the avatar got (text), for tests
    params: {},       // the avatar's settings after acked set-params
    configure(opts) { Object.assign(this.config, opts || {}); return this.config; },
    reset() { this.config = Object.assign({}, DEFAULTS); this.received = []; this.params = {}; },
    dropConnection(reason) {
      for (const c of this.clients) {
        if (c.connectionState === "CONNECTED") {
          c._teardown();
          c._state("DISCONNECTED", reason || "NETWORK_ERROR");
        }
      }
    },
  };

  window.AgoraRTC = {
    VERSION: "double",
    __double: Double,
    createClient(config) { return new Client(config || {}); },
    checkSystemRequirements() {
      return typeof RTCPeerConnection === "function" && !!navigator.mediaDevices;
    },
    async getSupportedCodec() { return { video: ["VP8", "VP9", "AV1"], audio: ["OPUS"] }; },
    async createMicrophoneAudioTrack(_config) {
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (err) {
        const denied = err && (err.name === "NotAllowedError" || err.name === "SecurityError");
        throw agoraError(denied ? "PERMISSION_DENIED" : "NOT_READABLE",
          String((err && err.name) || "") + ": " + String((err && err.message) || err));
      }
      return new MicrophoneTrack(stream, null);
    },
    setLogLevel() {},
    disableLogUpload() {},
    onAutoplayFailed: null,
  };
})();
