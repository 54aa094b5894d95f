//! Two exports of one order from two places (two browsers, two command-line runs, each with its
//! own journal) converge to exactly one PO (issue 16): two runners against one sandbox, their
//! writes interleaved with the sandbox's holds at the points that matter — both check then both
//! create the PO; the first finishes before the second creates its PO; both create the same item;
//! both add the same line; one dies right after creating the PO (holding the survivor, or the
//! loser) — and free-running. Every run ends with one live PO with every line once, no duplicate
//! live item, and nothing archived that the other job uses (docs/convergence.md).

mod client_support;
mod export_run_support;
use client_support::*;
use export_run_support::converge::*;
use export_run_support::*;

use po_bridge::export::journal::{Journal, JournalStore, MemoryStore, RecordKind};
use po_bridge::export::plan::Plan;
use po_bridge::export::runner::{preview, run_export, RunOutcome, Staged, StartJob};
use po_bridge::lightspeed::client::{LightspeedClient, StaticToken};
use po_bridge::lightspeed::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};
use po_bridge::lightspeed::native::{block_on, NativeTransport};
use po_bridge::lightspeed::{OrderId, ShopId};
use serde_json::json;
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::thread::JoinHandle;

const REF: &str = "NuORDER 40718822";
const VENDOR: &str = "Harbor Goods";

/// Where a job dies: once the answer to a request with this method whose path contains this
/// arrives (the write committed, the job never hears of it).
type KillPoint = (Method, &'static str);

/// When a job dies: after the answer to a request matching a [`KillPoint`], or to its n-th send.
#[derive(Clone, Copy, Debug)]
enum Kill {
    After(KillPoint),
    AtSend(usize),
}

/// A transport that "kills the process" at its [`Kill`], and counts sends.
#[derive(Clone)]
struct Killer {
    inner: NativeTransport,
    kill: Option<Kill>,
    sends: Rc<Cell<usize>>,
    killed: Rc<Cell<bool>>,
}

impl Transport for Killer {
    async fn send(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        let path = req.url.split('?').next().unwrap_or("").to_string();
        self.sends.set(self.sends.get() + 1);
        let hit = match self.kill {
            Some(Kill::After((m, p))) => req.method == m && path.contains(p),
            Some(Kill::AtSend(n)) => self.sends.get() == n,
            None => false,
        };
        let r = self.inner.send(req, timeout_ms).await;
        if hit && !self.killed.get() {
            self.killed.set(true);
            std::future::pending::<()>().await;
        }
        r
    }
}

/// Polls `fut` until it completes (Some) or the killer fired (None: the future is dropped).
fn run_until_killed<F: Future>(fut: F, killed: &Cell<bool>) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return Some(v),
            Poll::Pending if killed.get() => return None,
            Poll::Pending => {}
        }
    }
}

/// One place exporting the order: its own journal store (its own browser / state file).
#[derive(Clone)]
struct Place {
    store: Arc<MemoryStore>,
    token: String,
}

struct World {
    env: Env,
    st: Staged,
    plan: Plan,
}

fn world() -> World {
    let env = start();
    env.relax_limits();
    env.speed(50.0);
    let st = staged(order("h02-two-colors-missing-upcs"));
    let token = env.mint(json!({})).access_token;
    let client = env.static_client(ScaledClock::new(50.0), &token);
    let p = block_on(preview(&client, &MemoryStore::new(), ACCT, &st)).unwrap();
    assert_eq!(p.existing_po, None);
    World { env, st, plan: p.plan }
}

impl World {
    fn place(&self) -> Place {
        Place { store: Arc::new(MemoryStore::new()), token: self.env.mint(json!({})).access_token }
    }

    /// Starts (or, without a plan, resumes) `place`'s job in its own thread; `kill_after` kills it
    /// once a POST to that path answered. The handle yields None when killed.
    fn spawn(&self, place: &Place, start: bool, kill: Option<Kill>) -> JoinHandle<Option<RunOutcome>> {
        self.spawn_counted(place, start, kill, Arc::new(AtomicUsize::new(0)))
    }

    /// [`World::spawn`], adding the job's sends to `sends` when it ends.
    fn spawn_counted(
        &self,
        place: &Place,
        start: bool,
        kill: Option<Kill>,
        sends: Arc<AtomicUsize>,
    ) -> JoinHandle<Option<RunOutcome>> {
        let (transport, config) = (self.env.transport.clone(), self.env.config());
        let (place, st, plan) = (place.clone(), self.st.clone(), self.plan.clone());
        std::thread::spawn(move || {
            let killer =
                Killer { inner: transport, kill, sends: Rc::new(Cell::new(0)), killed: Rc::new(Cell::new(false)) };
            let client =
                LightspeedClient::new(killer.clone(), ScaledClock::new(50.0), StaticToken(place.token.clone()), config);
            let start =
                start.then(|| StartJob { staged: st.clone(), plan, shop_id: ShopId(1), today: "2026-11-27".into() });
            let (k, mut progress) = (key(&st.order), |_: &Journal| {});
            let run = run_export(&client, &*place.store, &k, start, &mut progress);
            let out = run_until_killed(run, &killer.killed).map(|r| r.expect("run_export"));
            sends.fetch_add(killer.sends.get(), Ordering::SeqCst);
            out
        })
    }

    fn journal(&self, place: &Place) -> Journal {
        block_on(place.store.load(&key(&self.st.order))).unwrap().expect("journal stored")
    }

    fn converged(&self, what: &str) -> u64 {
        assert_converged(&self.env, REF, VENDOR, 7, 26, what)
    }

    /// The job's stored links point at live items only.
    fn links_live(&self, place: &Place, what: &str) {
        let links = block_on(place.store.load_links(ACCT)).unwrap();
        assert_eq!(links.items.len(), 7, "{what}");
        let t = tables(&self.env);
        for id in links.items.values() {
            let item = rows(&t, "Item").into_iter().find(|i| s(&i["itemID"]) == id.0.to_string()).unwrap();
            assert_ne!(s(&item["archived"]), "true", "{what}: linked item {id:?} is live");
        }
    }
}

fn exported(out: Option<RunOutcome>, what: &str) -> OrderId {
    match out {
        Some(RunOutcome::Exported { po_id }) => po_id,
        other => panic!("{what}: {other:?}"),
    }
}

fn gave_up(j: &Journal, record: RecordKind) -> usize {
    j.converged.iter().filter(|c| c.record == record).count()
}

/// Both pass the existing-PO check and both create the PO before either looks for a twin (the
/// two held creates run back to back): the lower id survives, the other job archives its PO and
/// completes the survivor. Before that, the second job met the first one's vendor, matrices and
/// items after creating its own, and gave them up too.
#[test]
fn both_check_then_both_create_the_po() {
    let w = world();
    let (a, b) = (w.place(), w.place());
    let h = hold(&w.env, ORDER_POST, 2);
    let ja = w.spawn(&a, true, None);
    wait_holding(&w.env, h, 1);
    let jb = w.spawn(&b, true, None);
    wait_holding(&w.env, h, 2);
    release(&w.env, h, 2);
    let (pa, pb) = (exported(ja.join().unwrap(), "A"), exported(jb.join().unwrap(), "B"));
    let po = w.converged("both created the PO");
    assert_eq!((pa.0, pb.0), (po, po), "both jobs end on the survivor");
    let (ja, jb) = (w.journal(&a), w.journal(&b));
    assert_eq!(gave_up(&ja, RecordKind::Po), 0, "the first PO survives");
    assert_eq!(gave_up(&jb, RecordKind::Po), 1);
    assert_eq!(gave_up(&jb, RecordKind::Matrix), 2, "B's one lookup found A's older matrices: {:?}", jb.converged);
    assert!(jb.converged.iter().all(|c| c.settled || c.record == RecordKind::Matrix), "{:?}", jb.converged);
    assert_eq!(live_new_items(&w.env), 7);
    w.links_live(&a, "A");
    w.links_live(&b, "B");
    figures("converge-native-both-create-po", 1, 0, "both pass the check and create the PO back to back");
}

/// Both pass the check; the first finishes the whole export before the second's PO create runs.
/// The second archives its PO, finds every line on the survivor (looked up before each create)
/// and adds none.
#[test]
fn the_first_finishes_before_the_second_creates_its_po() {
    let w = world();
    let (a, b) = (w.place(), w.place());
    let h = hold(&w.env, ORDER_POST, 2);
    let ja = w.spawn(&a, true, None);
    wait_holding(&w.env, h, 1);
    let jb = w.spawn(&b, true, None);
    wait_holding(&w.env, h, 2);
    release(&w.env, h, 1);
    let pa = exported(ja.join().unwrap(), "A");
    release(&w.env, h, 1);
    let pb = exported(jb.join().unwrap(), "B");
    assert_eq!(pa, pb);
    w.converged("A finished first");
    let jb = w.journal(&b);
    assert_eq!(gave_up(&jb, RecordKind::Po), 1);
    assert_eq!(gave_up(&jb, RecordKind::Line), 0, "B found every line and added none: {:?}", jb.converged);
    figures("converge-native-first-finishes", 1, 0, "A finishes before B creates its PO");
}

/// Both create the same item (the two first item creates held and run back to back): the higher
/// is archived by its creator, who carries on with the lower one for its lines and links.
#[test]
fn both_create_the_same_item() {
    let w = world();
    let (a, b) = (w.place(), w.place());
    let h = hold(&w.env, ITEM_POST, 2);
    let ja = w.spawn(&a, true, None);
    wait_holding(&w.env, h, 1);
    let jb = w.spawn(&b, true, None);
    wait_holding(&w.env, h, 2);
    release(&w.env, h, 2);
    let (pa, pb) = (exported(ja.join().unwrap(), "A"), exported(jb.join().unwrap(), "B"));
    assert_eq!(pa, pb);
    w.converged("both created the item");
    let (ja, jb) = (w.journal(&a), w.journal(&b));
    let items = gave_up(&ja, RecordKind::Item) + gave_up(&jb, RecordKind::Item);
    assert!(items >= 1, "one of the two first items was given up");
    assert_eq!(live_new_items(&w.env), 7);
    w.links_live(&a, "A");
    w.links_live(&b, "B");
    figures("converge-native-same-item", 1, 0, "both create the same item");
}

/// Both add the same line: both pass the check and create their PO (held, run back to back), then
/// the first two line creates are held — each job looked the line up before the other's create
/// ran. The final pass of the job holding the higher line removes it.
#[test]
fn both_add_the_same_line() {
    let w = world();
    let (a, b) = (w.place(), w.place());
    let po = hold(&w.env, ORDER_POST, 2);
    let ja = w.spawn(&a, true, None);
    wait_holding(&w.env, po, 1);
    let jb = w.spawn(&b, true, None);
    wait_holding(&w.env, po, 2);
    let line = hold(&w.env, LINE_POST, 2);
    release(&w.env, po, 2);
    wait_holding(&w.env, line, 2);
    release(&w.env, line, 2);
    let (pa, pb) = (exported(ja.join().unwrap(), "A"), exported(jb.join().unwrap(), "B"));
    assert_eq!(pa, pb);
    w.converged("both added the first line");
    let (ja, jb) = (w.journal(&a), w.journal(&b));
    // The jobs then run in lockstep, so later lines may be added twice as well; each is removed.
    let removed = gave_up(&ja, RecordKind::Line) + gave_up(&jb, RecordKind::Line);
    assert!(removed >= 1, "the first line was added twice and removed once");
    assert!(ja.converged.iter().chain(&jb.converged).all(|c| c.settled || c.record == RecordKind::Matrix));
    figures("converge-native-same-line", 1, 0, "both add the same line");
}

/// A dies right after its PO create committed (before it saved the id or looked for a twin), and
/// its PO is the older: B archives its own and completes A's; A resumes later onto the same PO.
#[test]
fn one_dies_after_creating_the_surviving_po() {
    let w = world();
    let (a, b) = (w.place(), w.place());
    let h = hold(&w.env, ORDER_POST, 2);
    let ja = w.spawn(&a, true, Some(Kill::After((Method::Post, "/Order.json"))));
    wait_holding(&w.env, h, 1);
    let jb = w.spawn(&b, true, None);
    wait_holding(&w.env, h, 2);
    release(&w.env, h, 1);
    assert!(ja.join().unwrap().is_none(), "A died");
    release(&w.env, h, 1);
    let pb = exported(jb.join().unwrap(), "B");
    let po = w.converged("A dead, B alone");
    assert_eq!(pb.0, po, "B completed A's PO");
    let pa = exported(w.spawn(&a, false, None).join().unwrap(), "A resumed");
    assert_eq!(pa, pb);
    w.converged("A resumed");
    assert_eq!(gave_up(&w.journal(&a), RecordKind::Po), 0);
    figures("converge-native-dies-survivor", 1, 1, "A dies after creating the surviving PO");
}

/// B dies right after its PO create, and its PO is the younger: A finishes alone (B's empty PO is
/// still live — the limit docs/convergence.md states), and B's resume archives it.
#[test]
fn one_dies_after_creating_the_losing_po() {
    let w = world();
    let (a, b) = (w.place(), w.place());
    let h = hold(&w.env, ORDER_POST, 2);
    let ja = w.spawn(&a, true, None);
    wait_holding(&w.env, h, 1);
    let jb = w.spawn(&b, true, Some(Kill::After((Method::Post, "/Order.json"))));
    wait_holding(&w.env, h, 2);
    release(&w.env, h, 2);
    assert!(jb.join().unwrap().is_none(), "B died");
    let pa = exported(ja.join().unwrap(), "A");
    let pb = exported(w.spawn(&b, false, None).join().unwrap(), "B resumed");
    assert_eq!(pa, pb);
    w.converged("B resumed");
    assert_eq!(gave_up(&w.journal(&b), RecordKind::Po), 1);
    figures("converge-native-dies-loser", 1, 1, "B dies after creating the losing PO");
}

/// Started together with nothing held, three times: whatever the interleaving, one of everything.
#[test]
fn started_together_free_running() {
    for round in 0..3 {
        let w = world();
        let (a, b) = (w.place(), w.place());
        let (ja, jb) = (w.spawn(&a, true, None), w.spawn(&b, true, None));
        let (pa, pb) = (exported(ja.join().unwrap(), "A"), exported(jb.join().unwrap(), "B"));
        assert_eq!(pa, pb, "round {round}");
        w.converged(&format!("free-running round {round}"));
        assert_eq!(live_new_items(&w.env), 7, "round {round}");
        clear_holds(&w.env);
    }
    figures("converge-native-free-running", 3, 0, "started together with nothing held, 3 rounds");
}

/// The job that gives records up dies right after each kind of its convergence writes (its PO
/// create before the twin check, the archive of its PO, of an item, of its vendor, its first line
/// on the survivor) and resumes from its journal: the same end every time.
#[test]
fn the_job_giving_up_dies_after_each_convergence_write_and_resumes() {
    for kill in [
        (Method::Post, "/Order.json"),
        (Method::Delete, "/Vendor/"),
        (Method::Delete, "/Item/"),
        (Method::Delete, "/Order/"),
        (Method::Post, "/OrderLine.json"),
        (Method::Get, "/OrderLine.json"),
    ] {
        let what = format!("B killed after {kill:?}");
        let w = world();
        let (a, b) = (w.place(), w.place());
        let h = hold(&w.env, ORDER_POST, 2);
        let ja = w.spawn(&a, true, None);
        wait_holding(&w.env, h, 1);
        let jb = w.spawn(&b, true, Some(Kill::After(kill)));
        // B may die before its PO create (after archiving its vendor or an item).
        while !jb.is_finished() && w.env.get(&format!("/holds/{h}"))["holding"].as_u64() != Some(2) {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        clear_holds(&w.env);
        if kill.1 == "/OrderLine.json" {
            // A, on its own PO, creates its lines without looking first: slow them down so that B,
            // on A's PO, finds a line missing and creates it (the write after which it dies).
            delay(&w.env, LINE_POST, 20, 400);
        }
        let out_b = jb.join().unwrap();
        assert!(out_b.is_none(), "{what}: the kill fired ({out_b:?})");
        let pa = exported(ja.join().unwrap(), &what);
        let pb = exported(w.spawn(&b, false, None).join().unwrap(), &what);
        assert_eq!(pa, pb, "{what}");
        w.converged(&what);
        let jb = w.journal(&b);
        assert_eq!(gave_up(&jb, RecordKind::Po), 1, "{what}");
        assert!(jb.converged.iter().all(|c| c.settled || c.record == RecordKind::Matrix), "{what}: {:?}", jb.converged);
        w.links_live(&b, &what);
    }
    figures(
        "converge-native-convergence-writes",
        6,
        6,
        "the giving-up job killed after each kind of convergence write",
    );
}

/// The job's existing-PO check before its first write: `refNum`, then `b2bOrderNumber`.
const CHECK_SENDS: usize = 2;

/// Both create the PO (held, back to back); one of the two jobs dies after the answer to each of
/// its sends in turn (its write committed, its journal not told) and resumes: always one PO with
/// every line once and no duplicate live item.
#[test]
fn either_job_killed_after_any_send_converges_on_resume() {
    let mut tried = 0;
    for victim in ["first", "second"] {
        let sends = Arc::new(AtomicUsize::new(0));
        let mut n = 1;
        loop {
            let w = world();
            let (a, b) = (w.place(), w.place());
            let kill = |me: &str| (me == victim).then_some(Kill::AtSend(n));
            let h = hold(&w.env, ORDER_POST, 2);
            sends.store(0, Ordering::SeqCst);
            let ja = w.spawn_counted(&a, true, kill("first"), sends.clone());
            while !ja.is_finished() && w.env.get(&format!("/holds/{h}"))["holding"].as_u64() != Some(1) {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            let jb = w.spawn_counted(&b, true, kill("second"), sends.clone());
            while !(ja.is_finished() || jb.is_finished())
                && w.env.get(&format!("/holds/{h}"))["holding"].as_u64() != Some(2)
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            clear_holds(&w.env);
            let (oa, ob) = (ja.join().unwrap(), jb.join().unwrap());
            let what = format!("{victim} killed after send {n}");
            let dead = if victim == "first" { (&a, oa.is_none()) } else { (&b, ob.is_none()) };
            if !dead.1 {
                break; // the victim finished before its n-th send: every point was tried
            }
            // A job killed before its existing-PO check answered (its first CHECK_SENDS requests)
            // finds the other's PO on resume.
            let resumed = match w.spawn(dead.0, false, None).join().unwrap() {
                Some(RunOutcome::AlreadyExported { po_id }) if n <= CHECK_SENDS => po_id,
                other => exported(other, &what),
            };
            let po = w.converged(&what);
            assert_eq!(resumed.0, po, "{what}");
            assert_eq!(live_new_items(&w.env), 7, "{what}");
            tried += 1;
            n += 1;
        }
    }
    eprintln!("{tried} kill points tried");
    assert!(tried > 60, "{tried} kill points: every send of both jobs was a kill point");
    figures("converge-native-kill-sweep", tried, tried, "either job killed after each of its sends, then resumed");
}
