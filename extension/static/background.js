// PO Bridge background shim. Listeners are registered synchronously at start-up (a listener added
// after an await would miss the event that woke the worker); every message is handed to Rust once
// the wasm is ready. No top-level await and no import(): both break Chromium's service worker.
import init, { handle_message, started, on_alarm } from './pkg/po_bridge_background.js';

const api = globalThis.browser ?? globalThis.chrome;
self.PO_BRIDGE_BOOT = Date.now();

const ready = init({ module_or_path: api.runtime.getURL('pkg/po_bridge_background_bg.wasm') }).then(() => started());

function senderInfo(sender) {
  return {
    id: sender?.id ?? null,
    url: sender?.url ?? null,
    origin: sender?.origin ?? null,
    has_tab: !!sender?.tab,
    frame_id: typeof sender?.frameId === 'number' ? sender.frameId : null,
    tab_id: typeof sender?.tab?.id === 'number' ? sender.tab.id : null,
  };
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  ready
    .then(() => handle_message(message, senderInfo(sender)))
    .then(sendResponse, () => sendResponse({
      v: 1,
      id: typeof message?.id === 'string' ? message.id : '',
      err: { code: 'internal', message: 'PO Bridge hit an internal error. Try again; if it keeps happening, reload the extension.', retryable: true },
    }));
  return true;
});

// The watchdog alarm resumes unfinished exports after the worker was stopped.
api.alarms?.onAlarm.addListener(() => { ready.then(() => on_alarm()); });
// Waking for the browser's start also resumes (started() runs on every worker start).
api.runtime.onStartup?.addListener(() => {});
