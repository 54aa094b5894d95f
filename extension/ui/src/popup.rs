//! The popup: Linked accounts, Link account, default location and region.

use leptos::prelude::*;
use leptos::task::spawn_local;
use po_bridge::accounts::Region;
use po_bridge::protocol::{AccountView, AccountsView, HistoryEntry, ProtocolError, Request, Response, ShopView};
use po_bridge_browser as browser;

/// Where a newcomer signs in to NuORDER.
const NUORDER_HOME: &str = "https://app.nuorder.com/";

#[derive(Clone, Debug, PartialEq)]
enum Screen {
    Accounts,
    Link,
    Linked { message: String },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Product {
    Lightspeed,
    Nuorder,
}

async fn ask(req: Request) -> Result<Response, ProtocolError> {
    browser::request(req).await
}

#[component]
pub fn Popup() -> impl IntoView {
    // `popup.html#link` (opened from an in-page action when nothing is linked) starts on Link.
    let start = if web_sys::window().and_then(|w| w.location().hash().ok()).as_deref() == Some("#link") {
        Screen::Link
    } else {
        Screen::Accounts
    };
    let screen = RwSignal::new(start);
    let view_state: RwSignal<Option<Result<AccountsView, String>>> = RwSignal::new(None);
    let tab_id: RwSignal<Option<i64>> = RwSignal::new(None);

    let reload = move || {
        spawn_local(async move {
            let active = browser::active_tab_id().await;
            tab_id.set(active);
            let result = match ask(Request::GetAccounts { active_tab_id: active }).await {
                Ok(Response::Accounts(v)) => Ok(v),
                Ok(_) => Err("PO Bridge answered unexpectedly. Close and reopen the popup.".to_string()),
                Err(e) => Err(e.message),
            };
            view_state.set(Some(result));
        });
    };
    reload();

    view! {
        <main class="po-bridge-popup">
            {move || match screen.get() {
                Screen::Accounts => view! { <AccountsScreen view_state screen reload=Callback::new(move |_| reload()) /> }.into_any(),
                Screen::Link => view! { <LinkScreen view_state tab_id screen reload=Callback::new(move |_| reload()) /> }.into_any(),
                Screen::Linked { message } => view! { <LinkedScreen message screen /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn AccountsScreen(
    view_state: RwSignal<Option<Result<AccountsView, String>>>,
    screen: RwSignal<Screen>,
    reload: Callback<()>,
) -> impl IntoView {
    view! {
        <header><h1>"Linked accounts"</h1></header>
        {move || match view_state.get() {
            None => view! { <p class="status" role="status" data-test="loading">"Loading your accounts…"</p> }.into_any(),
            Some(Err(message)) => view! {
                <div class="error" role="alert" data-test="error">{message}</div>
                <button type="button" on:click=move |_| reload.run(())>"Try again"</button>
            }.into_any(),
            Some(Ok(v)) => {
                let has_accounts = !v.accounts.is_empty();
                let signed_in = v.nuorder_signed_in.clone();
                view! {
                    <p class="status" role="status" data-test="background-status">"PO Bridge is ready."</p>
                    <section class="nuorder" data-test="nuorder-session">
                        {match signed_in {
                            Some(b) => view! { <p>"Signed in on NuORDER as " <strong>{b.buyer_name}</strong> " (" {b.retailer_name} ")."</p> }.into_any(),
                            None => view! {
                                <p>"No NuORDER tab is signed in. "
                                    <button type="button" class="link" data-test="open-nuorder"
                                        on:click=move |_| spawn_local(async { browser::open_tab(NUORDER_HOME).await })>
                                        "Open NuORDER sign-in"
                                    </button>
                                </p>
                            }.into_any(),
                        }}
                    </section>
                    {if has_accounts {
                        view! {
                            <ul class="accounts" data-test="accounts">
                                {v.accounts.into_iter().map(|a| view! { <AccountCard account=a reload /> }).collect_view()}
                            </ul>
                        }.into_any()
                    } else {
                        view! { <p class="empty" data-test="no-accounts">"No Lightspeed account is linked yet. Link one to export NuORDER orders as purchase orders."</p> }.into_any()
                    }}
                    <button type="button" class="primary" data-test="link-account" on:click=move |_| screen.set(Screen::Link)>
                        {if has_accounts { "Link another account" } else { "Link account" }}
                    </button>
                    <History />
                }.into_any()
            }
        }}
    }
}

/// Recent exports: order #, brand, status and PO link; Retry on failed ones.
#[component]
fn History() -> impl IntoView {
    let history: RwSignal<Option<Result<Vec<HistoryEntry>, String>>> = RwSignal::new(None);
    let load = move || {
        spawn_local(async move {
            let r = match ask(Request::GetHistory).await {
                Ok(Response::History(h)) => Ok(h),
                Ok(_) => Err("Unexpected answer.".to_string()),
                Err(e) => Err(e.message),
            };
            history.set(Some(r));
        })
    };
    load();
    view! {
        <section class="history" data-test="history">
            <h2>"Export history"</h2>
            {move || match history.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted" data-test="history-empty">"No exports yet."</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul>
                        {list.into_iter().map(|h| {
                            let order_id = h.order_id.clone();
                            let badge = h.status.badge.clone();
                            view! {
                                <li data-test="history-entry" data-order-number=h.order_number.clone()>
                                    <strong>{format!("Order #{}", h.order_number)}</strong>
                                    {(!h.brand.is_empty()).then(|| format!(" · {}", h.brand))}
                                    " · "
                                    <span class=format!("badge tone-{:?}", badge.tone).to_lowercase() data-test="history-status">{badge.text.clone()}</span>
                                    {badge.link.clone().map(|l| view! { " · " <a href=l.url target="_blank" rel="noopener" data-test="history-po-link">{l.text}</a> })}
                                    {badge.retry.then(|| view! {
                                        " "
                                        <button type="button" data-test="history-retry" on:click=move |_| {
                                            let order_id = order_id.clone();
                                            spawn_local(async move {
                                                let _ = ask(Request::RetryExport { order_id }).await;
                                                load();
                                            });
                                        }>"Retry"</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn AccountCard(account: AccountView, reload: Callback<()>) -> impl IntoView {
    let id = account.account.account_id.clone();
    let shops: RwSignal<Option<Result<Vec<ShopView>, String>>> = RwSignal::new(None);
    let default_shop = RwSignal::new(account.account.default_shop_id.clone().unwrap_or_default());
    let region = RwSignal::new(account.account.region);
    let message: RwSignal<Option<String>> = RwSignal::new(None);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);

    {
        let id = id.clone();
        spawn_local(async move {
            let r = match ask(Request::GetShops { account_id: id }).await {
                Ok(Response::Shops { shops: s, .. }) => Ok(s),
                Ok(_) => Err("Unexpected answer.".to_string()),
                Err(e) => Err(e.message),
            };
            shops.set(Some(r));
        });
    }

    let id_for_shop = id.clone();
    let on_shop = move |ev: leptos::ev::Event| {
        let shop_id = event_target_value(&ev);
        let account_id = id_for_shop.clone();
        default_shop.set(shop_id.clone());
        spawn_local(async move {
            match ask(Request::SetDefaultShop { account_id, shop_id }).await {
                Ok(_) => message.set(Some("Default location saved.".into())),
                Err(e) => message.set(Some(e.message)),
            }
        });
    };
    let id_for_region = id.clone();
    let on_region = move |ev: leptos::ev::Event| {
        let r = match event_target_value(&ev).as_str() {
            "eu" => Region::Eu,
            "aus" => Region::Aus,
            _ => Region::Us,
        };
        region.set(r);
        let account_id = id_for_region.clone();
        spawn_local(async move {
            match ask(Request::SetRegion { account_id, region: r }).await {
                Ok(_) => message.set(Some("Region saved.".into())),
                Err(e) => message.set(Some(e.message)),
            }
        });
    };
    let id_for_unlink = id.clone();
    let on_unlink = move |_| {
        if !confirming.get() {
            confirming.set(true);
            return;
        }
        busy.set(true);
        let account_id = id_for_unlink.clone();
        spawn_local(async move {
            match ask(Request::Unlink { account_id }).await {
                Ok(_) => reload.run(()),
                Err(e) => {
                    busy.set(false);
                    message.set(Some(e.message));
                }
            }
        });
    };
    let relink = move |_| {
        busy.set(true);
        spawn_local(async move {
            match ask(Request::LinkLightspeed { interactive: true }).await {
                Ok(_) => reload.run(()),
                Err(e) => {
                    busy.set(false);
                    message.set(Some(e.message));
                }
            }
        });
    };

    let a = account.account;
    let select_id = format!("shop-{}", a.account_id);
    let region_id = format!("region-{}", a.account_id);
    view! {
        <li class="account" data-test="account" data-account-id=a.account_id.clone()>
            <div class="account-head">
                <strong data-test="account-name">{a.name.clone()}</strong>
                <span class="muted">" Lightspeed R-Series · account " {a.account_id.clone()}</span>
                {account.used_by_current_tab.then(|| view! { <span class="badge" data-test="current-tab">"Used by this NuORDER tab"</span> })}
            </div>
            {a.needs_relink.then(|| view! {
                <div class="warning" role="alert" data-test="needs-relink">
                    "Lightspeed no longer accepts this link. Exports are paused until you link it again. "
                    <button type="button" on:click=relink>"Link again"</button>
                </div>
            })}
            <div class="buyers" data-test="buyers">
                {if account.buyers.is_empty() {
                    view! { <span class="muted">"No NuORDER buyer linked yet."</span> }.into_any()
                } else {
                    account.buyers.into_iter().map(|b| view! { <span class="buyer">"NuORDER: " {b.buyer_name} " (" {b.retailer_name} ")"</span> }).collect_view().into_any()
                }}
            </div>
            <label for=select_id.clone()>"Default location"</label>
            {move || match shops.get() {
                None => view! { <span class="muted" data-test="shops-loading">"Loading locations…"</span> }.into_any(),
                Some(Err(e)) => view! { <span class="error" role="alert">{e}</span> }.into_any(),
                Some(Ok(list)) => {
                    let current = default_shop.get();
                    view! {
                        <select id=select_id.clone() data-test="default-shop" on:change=on_shop.clone()>
                            <option value="" disabled=true selected=current.is_empty()>"Choose a location"</option>
                            {list.into_iter().map(|s| {
                                let selected = s.shop_id == current;
                                view! { <option value=s.shop_id.clone() selected=selected>{s.name}</option> }
                            }).collect_view()}
                        </select>
                    }.into_any()
                }
            }}
            <label for=region_id.clone()>"Back office region"</label>
            <select id=region_id data-test="region" on:change=on_region>
                <option value="us" selected=move || region.get() == Region::Us>"US"</option>
                <option value="eu" selected=move || region.get() == Region::Eu>"EU"</option>
                <option value="aus" selected=move || region.get() == Region::Aus>"AUS"</option>
            </select>
            <div class="actions">
                <button type="button" class="danger" data-test="unlink" disabled=move || busy.get() on:click=on_unlink>
                    {move || if confirming.get() { "Confirm: unlink this account" } else { "Unlink account" }}
                </button>
            </div>
            {move || message.get().map(|m| view! { <p class="note" role="status" data-test="account-message">{m}</p> })}
        </li>
    }
}

#[component]
fn LinkScreen(
    view_state: RwSignal<Option<Result<AccountsView, String>>>,
    tab_id: RwSignal<Option<i64>>,
    screen: RwSignal<Screen>,
    reload: Callback<()>,
) -> impl IntoView {
    let product = RwSignal::new(Product::Lightspeed);
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let target_account = RwSignal::new(String::new());

    let current = move || view_state.get().and_then(|r| r.ok()).unwrap_or_default();

    let link = move |_| {
        error.set(None);
        busy.set(true);
        let p = product.get();
        let v = current();
        let chosen = target_account.get();
        spawn_local(async move {
            let result = match p {
                Product::Lightspeed => match ask(Request::LinkLightspeed { interactive: true }).await {
                    Ok(Response::Linked { name, account_id }) => {
                        Ok(format!("Linked Lightspeed account {name} (#{account_id})."))
                    }
                    Ok(_) => Ok("Linked.".to_string()),
                    Err(e) => Err(e.message),
                },
                Product::Nuorder => {
                    let account_id = if chosen.is_empty() {
                        v.accounts.first().map(|a| a.account.account_id.clone()).unwrap_or_default()
                    } else {
                        chosen
                    };
                    let tab = v.nuorder_tab_id.or(tab_id.get_untracked());
                    match ask(Request::LinkNuorderBuyer { account_id, tab_id: tab }).await {
                        Ok(_) => Ok(match v.nuorder_signed_in {
                            Some(b) => format!("Linked NuORDER buyer {} ({}).", b.buyer_name, b.retailer_name),
                            None => "Linked your NuORDER account.".to_string(),
                        }),
                        Err(e) => Err(e.message),
                    }
                }
            };
            busy.set(false);
            match result {
                Ok(message) => {
                    reload.run(());
                    screen.set(Screen::Linked { message });
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };

    view! {
        <header><h1>"Link account"</h1></header>
        <label for="product">"Product"</label>
        <select id="product" data-test="product" on:change=move |ev| {
            product.set(if event_target_value(&ev) == "nuorder" { Product::Nuorder } else { Product::Lightspeed });
            error.set(None);
        }>
            <option value="lightspeed" selected=true>"Lightspeed R-Series"</option>
            <option value="nuorder">"NuORDER"</option>
        </select>
        {move || match product.get() {
            Product::Lightspeed => view! {
                <p class="help">"Sign in to Lightspeed and allow PO Bridge to create vendors, items and purchase orders. A Lightspeed window opens; come back here when it closes."</p>
            }.into_any(),
            Product::Nuorder => {
                let v = current();
                match (v.nuorder_signed_in.clone(), v.accounts.is_empty()) {
                    (_, true) => view! { <p class="help" data-test="need-lightspeed">"Link a Lightspeed account first, then link your NuORDER buyer to it."</p> }.into_any(),
                    (None, false) => view! {
                        <p class="help" data-test="need-nuorder">"Sign in to NuORDER in a tab, then come back. "
                            <button type="button" class="link" on:click=move |_| spawn_local(async { browser::open_tab(NUORDER_HOME).await })>"Open NuORDER sign-in"</button>
                        </p>
                    }.into_any(),
                    (Some(b), false) => view! {
                        <p class="help">"Link NuORDER buyer " <strong>{b.buyer_name}</strong> " (" {b.retailer_name} ") to:"</p>
                        <select data-test="target-account" aria-label="Lightspeed account" on:change=move |ev| target_account.set(event_target_value(&ev))>
                            {v.accounts.into_iter().map(|a| view! { <option value=a.account.account_id.clone()>{a.account.name}</option> }).collect_view()}
                        </select>
                    }.into_any(),
                }
            }
        }}
        {move || error.get().map(|e| view! { <div class="error" role="alert" data-test="link-error">{e}</div> })}
        <div class="actions">
            <button type="button" class="primary" data-test="do-link" disabled=move || busy.get() on:click=link>
                {move || if busy.get() { "Waiting for Lightspeed…" } else { "Link account" }}
            </button>
            <button type="button" data-test="cancel" on:click=move |_| screen.set(Screen::Accounts)>"Cancel"</button>
        </div>
    }
}

#[component]
fn LinkedScreen(message: String, screen: RwSignal<Screen>) -> impl IntoView {
    view! {
        <header><h1>"Account linked"</h1></header>
        <p role="status" data-test="linked-message">{message}</p>
        <div class="actions">
            <button type="button" class="primary" data-test="back-to-accounts" on:click=move |_| screen.set(Screen::Accounts)>"Back to accounts"</button>
            <button type="button" data-test="go-to-nuorder" on:click=move |_| spawn_local(async { browser::open_tab(NUORDER_HOME).await })>"Go to NuORDER"</button>
        </div>
    }
}
