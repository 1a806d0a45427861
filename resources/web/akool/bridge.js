// Bridge between the Agora Web SDK (window.AgoraRTC: the real SDK or agora_double.js) and
// Python over QWebChannel. Python sends commands as JSON on bridge.command; the page answers
// and reports events as JSON through bridge.post. No decisions are made here: Python decides
// when to join, what to send, when the microphone is on and what a failure means.
"use strict";
(function () {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let bridge = null;
  let client = null;
  let mic = null;
  let micChain = Promise.resolve();
  let video = null;

  function post(ev, data) {
    if (bridge) bridge.post(JSON.stringify(Object.assign({ ev: ev }, data || {})));
  }

  function describe(err) {
    return {
      code: String((err && (err.code || err.name)) || "ERROR"),
      message: String((err && err.message) || err),
    };
  }

  function box() { return document.getElementById("remote-video"); }

  // The SDK creates its <video> element inside the box; report when it really plays.
  function watchVideo() {
    const hook = function (el) {
      if (el === video) return;
      video = el;
      el.addEventListener("playing", function () { post("video", { state: "playing" }); });
      el.addEventListener("pause", function () { post("video", { state: "paused" }); });
      if (!el.paused && el.readyState >= 2) post("video", { state: "playing" });
    };
    const found = box().querySelector("video");
    if (found) hook(found);
    new MutationObserver(function () {
      const el = box().querySelector("video");
      if (el) hook(el);
    }).observe(box(), { childList: true, subtree: true });
  }

  async function onUserPublished(user, mediaType) {
    try {
      const track = await client.subscribe(user, mediaType);
      if (mediaType === "video") track.play(box(), { fit: "contain" });
      else if (mediaType === "audio") track.play();
      post("remote", { uid: String(user.uid), media: mediaType, on: true });
    } catch (err) {
      post("error", Object.assign({ where: "subscribe" }, describe(err)));
    }
  }

  function makeClient() {
    client = AgoraRTC.createClient({ mode: "rtc", codec: "vp8" });
    client.on("user-published", onUserPublished);
    client.on("user-unpublished", function (user, mediaType) {
      post("remote", { uid: String(user.uid), media: mediaType, on: false });
    });
    client.on("user-left", function (user, reason) {
      post("user_left", { uid: String(user.uid), reason: String(reason || "") });
    });
    client.on("stream-message", function (uid, payload) {
      post("message", { uid: String(uid), text: decoder.decode(payload) });
    });
    client.on("connection-state-change", function (cur, prev, reason) {
      post("connection", { state: cur, prev: prev, reason: String(reason || "") });
    });
    client.on("token-privilege-will-expire", function () { post("token", { state: "will_expire" }); });
    client.on("token-privilege-did-expire", function () { post("token", { state: "expired" }); });
    client.on("exception", function (e) {
      post("exception", { code: String(e.code), message: String(e.msg || "") });
    });
  }

  async function join(cmd) {
    if (!client) makeClient();
    const c = cmd.credentials;
    let timer = null;
    const timeout = new Promise(function (_, reject) {
      timer = setTimeout(function () {
        reject({ code: "JOIN_TIMEOUT", message: "no answer from the video servers" });
      }, cmd.timeout_ms);
    });
    try {
      const uid = await Promise.race([
        client.join(c.agora_app_id, c.agora_channel, c.agora_token, c.agora_uid), timeout]);
      post("joined", { seq: cmd.seq, uid: String(uid) });
    } catch (err) {
      // Offline the SDK keeps retrying for a long time: leaving stops it.
      try { await client.leave(); } catch (_) { /* already out */ }
      post("join_failed", Object.assign({ seq: cmd.seq }, describe(err)));
    } finally {
      clearTimeout(timer);
    }
  }

  async function leave(cmd) {
    try {
      if (mic) { mic.close(); mic = null; }
      if (client) await client.leave();
      post("left", { seq: cmd.seq });
    } catch (err) {
      post("left", Object.assign({ seq: cmd.seq }, describe(err)));
    }
  }

  async function send(cmd) {
    try {
      if (!client) throw { code: "NOT_JOINED", message: "not in a channel" };
      await client.sendStreamMessage(encoder.encode(cmd.text), false);
      post("sent", { id: cmd.id });
    } catch (err) {
      post("send_failed", Object.assign({ id: cmd.id }, describe(err)));
    }
  }

  async function setMic(cmd) {
    try {
      if (!client) throw { code: "NOT_JOINED", message: "not in a channel" };
      if (cmd.on && !mic) {
        mic = await AgoraRTC.createMicrophoneAudioTrack(
          { encoderConfig: "speech_low_quality", AEC: true, AGC: true });
        await client.publish(mic);
      } else if (mic) {
        await mic.setMuted(!cmd.on);
      }
      post("mic", { seq: cmd.seq, on: !!cmd.on });
    } catch (err) {
      if (mic && cmd.on) { try { mic.close(); } catch (_) { /* gone */ } mic = null; }
      post("mic_failed", Object.assign({ seq: cmd.seq }, describe(err)));
    }
  }

  async function probe(cmd) {
    try {
      const codecs = await AgoraRTC.getSupportedCodec();
      post("probe", {
        seq: cmd.seq, version: String(AgoraRTC.VERSION), system: !!AgoraRTC.checkSystemRequirements(),
        video: codecs.video || [], audio: codecs.audio || [],
      });
    } catch (err) {
      post("probe", Object.assign({ seq: cmd.seq, system: false, video: [], audio: [] },
        describe(err)));
    }
  }

  const ops = { join: join, leave: leave, send: send, mic: function (cmd) {
    micChain = micChain.then(function () { return setMic(cmd); });  // press/release in order
  }, probe: probe };

  function onCommand(text) {
    const cmd = JSON.parse(text);
    const op = ops[cmd.op];
    if (op) op(cmd);
    else post("error", { where: "command", code: "UNKNOWN_OP", message: String(cmd.op) });
  }

  new QWebChannel(qt.webChannelTransport, function (channel) {
    bridge = channel.objects.bridge;
    bridge.command.connect(onCommand);
    if (typeof AgoraRTC === "undefined") {
      post("ready", { sdk: false });
      return;
    }
    if (AgoraRTC.disableLogUpload) AgoraRTC.disableLogUpload();
    if (AgoraRTC.setLogLevel) AgoraRTC.setLogLevel(3);  // errors only
    watchVideo();
    post("ready", { sdk: true, version: String(AgoraRTC.VERSION) });
  });
})();
