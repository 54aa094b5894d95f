// Loads the Leptos UI; its start function mounts the page named by <body data-page>.
import init from './pkg/po_bridge_ui.js';
init({ module_or_path: new URL('./pkg/po_bridge_ui_bg.wasm', import.meta.url) });
