// Loads the toolbar popup's wasm module (Leptos); its start function mounts the popup.
import init from './pkg/po_bridge_popup.js';
init({ module_or_path: new URL('./pkg/po_bridge_popup_bg.wasm', import.meta.url) });
