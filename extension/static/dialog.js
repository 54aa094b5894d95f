// Loads the export dialog's wasm module (Leptos); its start function mounts the dialog.
import init from './pkg/po_bridge_dialog.js';
init({ module_or_path: new URL('./pkg/po_bridge_dialog_bg.wasm', import.meta.url) });
