// hallcast's obs-websocket listener driven by the real obs-websocket-js client, as
// Companion, Stream Deck tools and scripts made for OBS drive it. Run by
// tests/integration/obs_websocket_test.cpp against a running hallcast (the show that
// test writes), once with the package's JSON build and once with its MsgPack build.
//
// Environment: HALLCAST_OBS_URL, HALLCAST_OBS_TEST_PASSWORD, HALLCAST_PANEL_URL,
// HALLCAST_PANEL_TOKEN, HALLCAST_OBS_BUILD (json | msgpack), HALLCAST_OBS_OUTPUTS (1: also
// start and stop the stream, the recording and single outputs).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

const build = process.env.HALLCAST_OBS_BUILD ?? 'json';
const { default: OBSWebSocket, EventSubscription, RequestBatchExecutionType } = await import(
  build === 'msgpack' ? 'obs-websocket-js/msgpack' : 'obs-websocket-js/json');

const url = process.env.HALLCAST_OBS_URL;
const password = process.env.HALLCAST_OBS_TEST_PASSWORD;
const panelUrl = process.env.HALLCAST_PANEL_URL;
const panelToken = process.env.HALLCAST_PANEL_TOKEN;
const withOutputs = process.env.HALLCAST_OBS_OUTPUTS === '1';
assert.ok(url && password && panelUrl && panelToken, 'the test environment is incomplete');

const clients = [];
after(async () => {
  for (const client of clients) {
    await client.disconnect().catch(() => {});
  }
});

async function connect(identification = {}) {
  const obs = new OBSWebSocket();
  const identified = await obs.connect(url, password, { rpcVersion: 1, ...identification });
  clients.push(obs);
  return { obs, identified };
}

// The next event `type` for which `match` holds, within `ms`.
function nextEvent(obs, type, match = () => true, ms = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      obs.off(type, listener);
      reject(new Error(`no ${type} event within ${ms} ms`));
    }, ms);
    const listener = (data) => {
      if (match(data)) {
        clearTimeout(timer);
        obs.off(type, listener);
        resolve(data);
      }
    };
    obs.on(type, listener);
  });
}

// Polls `condition` until it holds (the show's counters move on their own).
async function until(condition, what, ms = 20000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function rejects(promise, code) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`);
    return true;
  });
}

// The operator panel's WebSocket (docs/protocol.md), as a second operator.
class Panel {
  constructor() {
    this.messages = [];
    this.waiters = [];
    this.nextId = 1;
  }
  async open() {
    this.socket = new WebSocket(panelUrl, { headers: { Authorization: `Bearer ${panelToken}` } });
    this.socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => !w(message));
    });
    await new Promise((resolve, reject) => {
      this.socket.once('open', resolve);
      this.socket.once('error', reject);
    });
  }
  waitFor(match, ms = 10000) {
    return new Promise((resolve, reject) => {
      const seen = this.messages.find(match);
      if (seen) {
        this.messages = this.messages.filter((m) => m !== seen);
        return resolve(seen);
      }
      const timer = setTimeout(() => reject(new Error('the panel saw no such message')), ms);
      this.waiters.push((message) => {
        if (!match(message)) return false;
        clearTimeout(timer);
        this.messages = this.messages.filter((m) => m !== message);
        resolve(message);
        return true;
      });
    });
  }
  async request(body) {
    const id = this.nextId++;
    const reply = this.waitFor((m) => m.id === id);
    this.socket.send(JSON.stringify({ id, ...body }));
    return reply;
  }
  async state() {
    await this.request({ cmd: 'state.get' });
    return this.waitFor((m) => m.event === 'state');
  }
  close() {
    this.socket.close();
  }
}

test('a wrong or missing password is refused with AuthenticationFailed (4009)', async () => {
  const wrong = new OBSWebSocket();
  await rejects(wrong.connect(url, `${password}-wrong`, { rpcVersion: 1 }), 4009);
  const none = new OBSWebSocket();
  await rejects(none.connect(url, undefined, { rpcVersion: 1 }), 4009);
});

test('the right password identifies; GetVersion names the protocol', async () => {
  const { obs, identified } = await connect();
  assert.equal(identified.negotiatedRpcVersion, 1);
  assert.equal(identified.rpcVersion, 1);
  const version = await obs.call('GetVersion');
  assert.equal(version.rpcVersion, 1);
  assert.match(version.platformDescription, /^hallcast /);
  for (const request of ['TriggerStudioModeTransition', 'SetSceneItemEnabled', 'StartStream',
                         'CallVendorRequest']) {
    assert.ok(version.availableRequests.includes(request), request);
  }
  // The programme's first frames may still be on their way when the listener answers.
  await until(async () => (await obs.call('GetStats')).renderTotalFrames > 0,
              'the programme is encoding');
});

test('an unknown request answers UnknownRequestType (204) and the connection stays', async () => {
  const { obs } = await connect();
  await rejects(obs.call('NoSuchRequest'), 204);
  const scenes = await obs.call('GetSceneList');
  assert.deepEqual(scenes.scenes.map((s) => s.sceneName).reverse(),
                   ['Wide', 'Close-up', 'Wide + PiP']);
});

test('studio mode: preview a scene, then take it with Cut and with Fade', async () => {
  const { obs } = await connect();
  assert.deepEqual(await obs.call('GetStudioModeEnabled'), { studioModeEnabled: true });
  await rejects(obs.call('SetStudioModeEnabled', { studioModeEnabled: false }), 703);

  const list = await obs.call('GetSceneList');
  const program = list.currentProgramSceneName;
  const target = list.scenes.map((s) => s.sceneName)
                     .find((name) => name !== program && name !== list.currentPreviewSceneName);
  const previewed = nextEvent(obs, 'CurrentPreviewSceneChanged', (e) => e.sceneName === target);
  await obs.call('SetCurrentPreviewScene', { sceneName: target });
  await previewed;

  await obs.call('SetCurrentSceneTransition', { transitionName: 'Cut' });
  const started = nextEvent(obs, 'SceneTransitionStarted');
  const changed = nextEvent(obs, 'CurrentProgramSceneChanged', (e) => e.sceneName === target);
  const ended = nextEvent(obs, 'SceneTransitionEnded');
  await obs.call('TriggerStudioModeTransition');
  assert.equal((await started).transitionName, 'Cut');
  await changed;
  await ended;
  assert.equal((await obs.call('GetCurrentProgramScene')).sceneName, target);
  assert.equal((await obs.call('GetCurrentPreviewScene')).sceneName, program);

  await obs.call('SetCurrentSceneTransition', { transitionName: 'Fade' });
  await obs.call('SetCurrentSceneTransitionDuration', { transitionDuration: 300 });
  const current = await obs.call('GetCurrentSceneTransition');
  assert.equal(current.transitionName, 'Fade');
  assert.equal(current.transitionDuration, 300);
  await rejects(obs.call('SetCurrentSceneTransition', { transitionName: 'Stinger' }), 600);
  const fadeStarted = nextEvent(obs, 'SceneTransitionStarted');
  const fadeEnded = nextEvent(obs, 'SceneTransitionEnded');
  await obs.call('TriggerStudioModeTransition');
  assert.equal((await fadeStarted).transitionName, 'Fade');
  assert.equal((await fadeEnded).transitionName, 'Fade');
  assert.equal((await obs.call('GetCurrentProgramScene')).sceneName, program);
});

test('SetCurrentProgramScene cuts straight to programme', async () => {
  const { obs } = await connect();
  const changed = nextEvent(obs, 'CurrentProgramSceneChanged', (e) => e.sceneName === 'Wide + PiP');
  await obs.call('SetCurrentProgramScene', { sceneName: 'Wide + PiP' });
  assert.equal((await changed).sceneUuid, 'pip');
  const list = await obs.call('GetSceneList');
  assert.equal(list.currentProgramSceneName, 'Wide + PiP');
  await rejects(obs.call('SetCurrentProgramScene', { sceneName: 'Drone' }), 600);
  await rejects(obs.call('SetCurrentProgramScene', {}), 300);
});

test('mute and volume of an input', async () => {
  const { obs } = await connect();
  const inputs = (await obs.call('GetInputList')).inputs;
  assert.deepEqual(inputs.map((i) => i.inputName), ['Floor mic', 'English booth']);

  const muted = nextEvent(obs, 'InputMuteStateChanged', (e) => e.inputName === 'Floor mic');
  await obs.call('SetInputMute', { inputName: 'Floor mic', inputMuted: true });
  assert.equal((await muted).inputMuted, true);
  assert.deepEqual(await obs.call('GetInputMute', { inputName: 'Floor mic' }), { inputMuted: true });
  assert.deepEqual(await obs.call('ToggleInputMute', { inputUuid: 'mic1' }), { inputMuted: false });

  const louder = nextEvent(obs, 'InputVolumeChanged', (e) => e.inputUuid === 'booth-en');
  await obs.call('SetInputVolume', { inputName: 'English booth', inputVolumeDb: -6 });
  assert.equal((await louder).inputVolumeDb, -6);
  const volume = await obs.call('GetInputVolume', { inputName: 'English booth' });
  assert.ok(Math.abs(volume.inputVolumeMul - 0.501) < 0.001, JSON.stringify(volume));
  await obs.call('SetInputVolume', { inputName: 'English booth', inputVolumeMul: 1 });
  assert.equal((await obs.call('GetInputVolume', { inputName: 'English booth' })).inputVolumeDb, 0);
  await rejects(obs.call('SetInputVolume', { inputName: 'English booth', inputVolumeDb: 40 }), 402);
  await rejects(obs.call('GetInputMute', { inputName: 'Nobody' }), 600);
});

test('overlays are scene items: SetSceneItemEnabled shows and hides them', async () => {
  const { obs } = await connect();
  const panel = new Panel();
  await panel.open();
  try {
    const items = (await obs.call('GetSceneItemList', { sceneName: 'Wide' })).sceneItems;
    assert.deepEqual(items.map((i) => i.sourceName), ['lt-abiru', 'slate']);
    const { sceneItemId } = await obs.call('GetSceneItemId', { sceneName: 'Close-up',
                                                               sourceName: 'slate' });
    const shown = nextEvent(obs, 'SceneItemEnableStateChanged',
                            (e) => e.sceneItemId === sceneItemId && e.sceneItemEnabled);
    await obs.call('SetSceneItemEnabled', { sceneName: 'Close-up', sceneItemId,
                                            sceneItemEnabled: true });
    await shown;
    const onPanel = await panel.waitFor((m) => m.event === 'overlay' && m.id === 'slate');
    assert.equal(onPanel.visible, true);
    assert.deepEqual(await obs.call('GetSceneItemEnabled', { sceneName: 'Wide', sceneItemId }),
                     { sceneItemEnabled: true });
    await obs.call('SetSceneItemEnabled', { sceneName: 'Wide', sceneItemId,
                                            sceneItemEnabled: false });
    const state = await panel.state();
    assert.equal(state.overlays.find((o) => o.id === 'slate').visible, false);
    await rejects(obs.call('SetSceneItemEnabled', { sceneName: 'Wide', sceneItemId: 99,
                                                    sceneItemEnabled: true }), 600);
  } finally {
    panel.close();
  }
});

test('a batch with haltOnFailure stops at the first failure', async () => {
  const { obs } = await connect();
  const requests = [
    { requestType: 'SetCurrentPreviewScene', requestData: { sceneName: 'Wide' } },
    { requestType: 'SetCurrentPreviewScene', requestData: { sceneName: 'Drone' } },
    { requestType: 'SetCurrentPreviewScene', requestData: { sceneName: 'Close-up' } },
  ];
  const halted = await obs.callBatch(requests, { haltOnFailure: true });
  assert.deepEqual(halted.map((r) => r.requestStatus.code), [100, 600]);
  assert.equal((await obs.call('GetCurrentPreviewScene')).sceneName, 'Wide');

  const all = await obs.callBatch(requests, {
    executionType: RequestBatchExecutionType.SerialFrame });
  assert.deepEqual(all.map((r) => r.requestStatus.code), [100, 600, 100]);
  assert.equal((await obs.call('GetCurrentPreviewScene')).sceneName, 'Close-up');

  const timed = await obs.callBatch([
    { requestType: 'Sleep', requestData: { sleepMillis: 50 } },
    { requestType: 'GetCurrentPreviewScene' },
  ], { executionType: RequestBatchExecutionType.SerialRealtime });
  assert.equal(timed[1].responseData.sceneName, 'Close-up');
  await rejects(obs.call('Sleep', { sleepMillis: 10 }), 206);
});

test('events both ways: the panel reaches obs clients, obs clients reach the panel', async () => {
  const { obs } = await connect();
  const panel = new Panel();
  await panel.open();
  try {
    const program = (await obs.call('GetCurrentProgramScene')).sceneName;
    const target = program === 'Wide' ? 'Close-up' : 'Wide';
    const targetId = target === 'Wide' ? 'wide' : 'close';
    const seen = nextEvent(obs, 'CurrentProgramSceneChanged', (e) => e.sceneName === target);
    assert.equal((await panel.request({ cmd: 'scene.cut', scene: targetId })).ok, true);
    assert.equal((await seen).sceneUuid, targetId);

    await obs.call('SetInputMute', { inputName: 'English booth', inputMuted: true });
    const audio = await panel.waitFor((m) => m.event === 'audio' && m.channel === 'booth-en');
    assert.equal(audio.muted, true);
    await obs.call('SetInputMute', { inputName: 'English booth', inputMuted: false });
  } finally {
    panel.close();
  }
});

test('events go only to clients subscribed to their category; meters only on request', async () => {
  const { obs: scenesOnly } = await connect({ eventSubscriptions: EventSubscription.Scenes });
  const { obs: meters } = await connect({
    eventSubscriptions: EventSubscription.Inputs | EventSubscription.InputVolumeMeters });
  let inputsOnScenesOnly = 0;
  scenesOnly.on('InputMuteStateChanged', () => ++inputsOnScenesOnly);
  let metersOnScenesOnly = 0;
  scenesOnly.on('InputVolumeMeters', () => ++metersOnScenesOnly);

  const reading = await nextEvent(meters, 'InputVolumeMeters', (e) => {
    const mic = e.inputs.find((i) => i.inputName === 'Floor mic');
    return mic && mic.inputLevelsMul.length > 0 && mic.inputLevelsMul[0][2] > 0.01;
  });
  const mic = reading.inputs.find((i) => i.inputName === 'Floor mic');
  for (const channel of mic.inputLevelsMul) {
    assert.equal(channel.length, 3);
    assert.ok(channel[1] >= channel[0], 'peak is at least the magnitude');
  }
  const sceneChange = nextEvent(scenesOnly, 'CurrentPreviewSceneChanged');
  const muteSeen = nextEvent(meters, 'InputMuteStateChanged');
  await meters.call('ToggleInputMute', { inputName: 'Floor mic' });
  await muteSeen;
  await meters.call('ToggleInputMute', { inputName: 'Floor mic' });
  await meters.call('SetCurrentPreviewScene', { sceneName: 'Wide + PiP' });
  await sceneChange;
  assert.equal(inputsOnScenesOnly, 0);
  assert.equal(metersOnScenesOnly, 0);
});

test('CallVendorRequest runs hallcast commands', async () => {
  const { obs } = await connect();
  const answer = await obs.call('CallVendorRequest', {
    vendorName: 'hallcast', requestType: 'scene.preview', requestData: { scene: 'close' } });
  assert.equal(answer.vendorName, 'hallcast');
  const state = await obs.call('CallVendorRequest', {
    vendorName: 'hallcast', requestType: 'state.get' });
  assert.equal(state.responseData.preview, 'close');
  await rejects(obs.call('CallVendorRequest', { vendorName: 'hallcast',
                                                requestType: 'scene.explode' }), 600);
  await rejects(obs.call('CallVendorRequest', { vendorName: 'hallcast', requestType: 'audio.set',
                                                requestData: { channel: 'mic1', gain_db: 40 } }),
                402);
  await rejects(obs.call('CallVendorRequest', { vendorName: 'other', requestType: 'x' }), 600);
});

test('stream, record and single outputs start and stop', { skip: !withOutputs }, async () => {
  const { obs } = await connect();
  const outputs = (await obs.call('GetOutputList')).outputs;
  assert.deepEqual(outputs.map((o) => o.outputName).sort(), ['rec', 'site']);

  const live = nextEvent(obs, 'StreamStateChanged',
                         (e) => e.outputState === 'OBS_WEBSOCKET_OUTPUT_STARTED', 20000);
  await obs.call('StartStream');
  assert.equal((await live).outputActive, true);
  assert.equal((await obs.call('GetStreamStatus')).outputActive, true);
  await rejects(obs.call('StartStream'), 500);
  const site = await obs.call('GetOutputStatus', { outputName: 'site' });
  assert.equal(site.outputActive, true);

  const recording = nextEvent(obs, 'RecordStateChanged',
                              (e) => e.outputState === 'OBS_WEBSOCKET_OUTPUT_STARTED', 20000);
  await obs.call('StartRecord');
  await recording;
  assert.equal((await obs.call('GetRecordStatus')).outputActive, true);

  // Both carry programme before they stop: enough for the test to read back.
  await until(async () => (await obs.call('GetOutputStatus', { outputName: 'site' })).outputBytes >
                          100000, 'the stream to carry 100 kB');
  await until(async () => (await obs.call('GetRecordStatus')).outputBytes > 100000,
              'the recording to hold 100 kB');
  const streamStopped = nextEvent(obs, 'StreamStateChanged',
                                  (e) => e.outputState === 'OBS_WEBSOCKET_OUTPUT_STOPPED');
  await obs.call('StopStream');
  assert.equal((await streamStopped).outputActive, false);
  await rejects(obs.call('StopStream'), 501);

  const recordStopped = nextEvent(obs, 'RecordStateChanged',
                                  (e) => e.outputState === 'OBS_WEBSOCKET_OUTPUT_STOPPED');
  const stop = await obs.call('StopRecord');
  assert.ok(stop.outputPath.length > 0);
  await recordStopped;

  assert.deepEqual(await obs.call('ToggleOutput', { outputName: 'site' }), { outputActive: true });
  await rejects(obs.call('StartOutput', { outputName: 'site' }), 500);
  await obs.call('StopOutput', { outputName: 'site' });
  await rejects(obs.call('StopOutput', { outputName: 'site' }), 501);
  await rejects(obs.call('StartOutput', { outputName: 'nowhere' }), 600);
});
