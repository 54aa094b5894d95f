//! The browser side of the core's HTTP and time traits: fetch through gloo-net with an abort
//! timeout, `setTimeout` sleeps, `Date.now()` and `Intl` for dates in a shop's time zone.

use po_bridge::app::platform::Calendar;
use po_bridge::lightspeed::http::{Clock, HttpRequest, HttpResponse, Method, Transport, TransportError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub struct FetchTransport;

fn set_timeout(f: &js_sys::Function, ms: u64) -> Option<JsValue> {
    let global = js_sys::global();
    let st = js_sys::Reflect::get(&global, &"setTimeout".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    st.call2(&global, f, &JsValue::from_f64(ms as f64)).ok()
}

fn clear_timeout(handle: &JsValue) {
    let global = js_sys::global();
    if let Ok(ct) = js_sys::Reflect::get(&global, &"clearTimeout".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = ct.call1(&global, handle);
    }
}

impl Transport for FetchTransport {
    async fn send(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        let controller =
            web_sys::AbortController::new().map_err(|_| TransportError::Other("AbortController".into()))?;
        let abort = {
            let c = controller.clone();
            Closure::once_into_js(move || c.abort())
        };
        let handle = set_timeout(abort.unchecked_ref(), timeout_ms);
        let mut builder = match req.method {
            Method::Get => gloo_net::http::RequestBuilder::new(&req.url).method(gloo_net::http::Method::GET),
            Method::Post => gloo_net::http::RequestBuilder::new(&req.url).method(gloo_net::http::Method::POST),
            Method::Put => gloo_net::http::RequestBuilder::new(&req.url).method(gloo_net::http::Method::PUT),
            Method::Delete => gloo_net::http::RequestBuilder::new(&req.url).method(gloo_net::http::Method::DELETE),
        };
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        builder = builder.abort_signal(Some(&controller.signal())).redirect(web_sys::RequestRedirect::Manual);
        let request = match &req.body {
            Some(body) => builder.body(body.clone()),
            None => builder.build(),
        }
        .map_err(|e| TransportError::Other(e.to_string()))?;
        let result = request.send().await;
        if let Some(h) = handle {
            clear_timeout(&h);
        }
        let response = result.map_err(|e| {
            if controller.signal().aborted() {
                TransportError::Timeout(timeout_ms)
            } else {
                TransportError::Connection(e.to_string())
            }
        })?;
        let status = response.status();
        let mut headers = Vec::new();
        for (k, v) in response.headers().entries() {
            headers.push((k.to_ascii_lowercase(), v));
        }
        let body = response.text().await.map_err(|e| {
            if controller.signal().aborted() {
                TransportError::Timeout(timeout_ms)
            } else {
                TransportError::Connection(e.to_string())
            }
        })?;
        Ok(HttpResponse { status, headers, body })
    }
}

pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> u64 {
        js_sys::Date::now() as u64
    }

    async fn sleep(&self, ms: u64) {
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            let _ = set_timeout(&resolve, ms);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

/// The time and the browser's time-zone database (`Intl.DateTimeFormat`).
pub struct BrowserCalendar;

impl Calendar for BrowserCalendar {
    fn now_ms(&self) -> u64 {
        js_sys::Date::now() as u64
    }

    fn date_in_zone(&self, epoch_ms: i64, zone: &str) -> Option<String> {
        let options = js_sys::Object::new();
        for (k, v) in [("timeZone", zone), ("year", "numeric"), ("month", "2-digit"), ("day", "2-digit")] {
            js_sys::Reflect::set(&options, &k.into(), &v.into()).ok()?;
        }
        // An unknown zone throws a RangeError: `None`, and the rule falls back to UTC.
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let ctor = js_sys::Reflect::get(&intl, &"DateTimeFormat".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let args = js_sys::Array::of2(&"en-US".into(), &options);
        let format = js_sys::Reflect::construct(&ctor, &args).ok()?;
        let to_parts =
            js_sys::Reflect::get(&format, &"formatToParts".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let date = js_sys::Date::new(&(epoch_ms as f64).into());
        let parts = js_sys::Array::from(&to_parts.call1(&format, &date).ok()?);
        let part = |name: &str| {
            parts.iter().find_map(|p| {
                let kind = js_sys::Reflect::get(&p, &"type".into()).ok()?.as_string()?;
                (kind == name).then(|| js_sys::Reflect::get(&p, &"value".into()).ok()?.as_string()).flatten()
            })
        };
        Some(format!("{}-{}-{}", part("year")?, part("month")?, part("day")?))
    }
}

/// Bytes from the platform CSPRNG (`crypto.getRandomValues`).
pub fn random<const N: usize>() -> Result<[u8; N], String> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).map_err(|_| "no crypto".to_string())?;
    let array = js_sys::Uint8Array::new_with_length(N as u32);
    let f = js_sys::Reflect::get(&crypto, &"getRandomValues".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| "no getRandomValues".to_string())?;
    f.call1(&crypto, &array).map_err(|_| "getRandomValues failed".to_string())?;
    let mut out = [0u8; N];
    array.copy_to(&mut out);
    Ok(out)
}
