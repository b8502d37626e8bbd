//! A TCP proxy for resilience tests, between ocw-tui and the real `opencode serve`: it
//! forwards bytes both ways and, on command, cuts every connection and refuses new ones
//! (a network drop), restores, or stalls the `/event` connections (bytes stop, sockets stay
//! open: a buffering proxy, a frozen server). Runs on its own thread and tokio runtime so
//! that blocking tests can drive it.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::AbortHandle;

struct Shared {
    refusing: AtomicBool,
    accepted: AtomicUsize,
    event_streams: AtomicUsize,
    conns: Mutex<Vec<AbortHandle>>,
    /// Bumped by `stall_event_streams`: connections carrying `/event` opened before it stall.
    stall: watch::Sender<u64>,
}

pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Proxy {
    /// Listens on 127.0.0.1 (a free port) and forwards to `upstream`.
    pub fn start(upstream: SocketAddr) -> Proxy {
        let shared = Arc::new(Shared {
            refusing: AtomicBool::new(false),
            accepted: AtomicUsize::new(0),
            event_streams: AtomicUsize::new(0),
            conns: Mutex::new(Vec::new()),
            stall: watch::channel(0).0,
        });
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let sh = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).unwrap();
                tokio::select! {
                    _ = accept_loop(listener, upstream, sh) => {}
                    _ = stop_rx => {}
                }
            });
            rt.shutdown_background();
        });
        Proxy {
            addr,
            shared,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Closes every open connection and refuses new ones until [`Proxy::restore`].
    pub fn cut(&self) {
        self.shared.refusing.store(true, Ordering::SeqCst);
        for c in self.shared.conns.lock().unwrap().drain(..) {
            c.abort();
        }
    }

    pub fn restore(&self) {
        self.shared.refusing.store(false, Ordering::SeqCst);
    }

    /// The `/event` connections open now stop carrying bytes, and stay open; new
    /// connections are forwarded as usual.
    pub fn stall_event_streams(&self) {
        self.shared.stall.send_modify(|g| *g += 1);
    }

    /// `GET /event` requests seen so far.
    pub fn event_streams(&self) -> usize {
        self.shared.event_streams.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn accept_loop(listener: TcpListener, upstream: SocketAddr, shared: Arc<Shared>) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        if shared.refusing.load(Ordering::SeqCst) {
            drop(client);
            continue;
        }
        shared.accepted.fetch_add(1, Ordering::SeqCst);
        let sh = shared.clone();
        let task = tokio::spawn(async move {
            let Ok(server) = TcpStream::connect(upstream).await else {
                return;
            };
            connection(client, server, sh).await;
        });
        let mut conns = shared.conns.lock().unwrap();
        conns.retain(|c| !c.is_finished());
        conns.push(task.abort_handle());
    }
}

async fn connection(client: TcpStream, server: TcpStream, shared: Arc<Shared>) {
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    let is_event = Arc::new(AtomicBool::new(false));
    let generation = *shared.stall.borrow();
    let up = pipe(
        cr,
        sw,
        shared.stall.subscribe(),
        generation,
        is_event.clone(),
        Some(shared.clone()),
    );
    let down = pipe(sr, cw, shared.stall.subscribe(), generation, is_event, None);
    tokio::join!(up, down);
}

/// Copies `r` to `w` until EOF. The client-to-server direction (`sniff`) marks the
/// connection as an event stream when a request line is `GET /event`. Once the stall
/// generation moves past `generation` on an event connection, it stops forwarding for good.
async fn pipe(
    mut r: tokio::net::tcp::OwnedReadHalf,
    mut w: tokio::net::tcp::OwnedWriteHalf,
    mut stall: watch::Receiver<u64>,
    generation: u64,
    is_event: Arc<AtomicBool>,
    sniff: Option<Arc<Shared>>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    let stalled = |stall: &watch::Receiver<u64>, is_event: &AtomicBool| {
        *stall.borrow() > generation && is_event.load(Ordering::SeqCst)
    };
    loop {
        if stalled(&stall, &is_event) {
            std::future::pending::<()>().await;
        }
        let n = tokio::select! {
            n = r.read(&mut buf) => match n {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            },
            changed = stall.changed() => {
                if changed.is_err() {
                    std::future::pending::<()>().await;
                }
                continue;
            }
        };
        if let Some(shared) = &sniff {
            if buf[..n].starts_with(b"GET /event") {
                is_event.store(true, Ordering::SeqCst);
                shared.event_streams.fetch_add(1, Ordering::SeqCst);
            }
        }
        if stalled(&stall, &is_event) {
            std::future::pending::<()>().await;
        }
        if w.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = w.shutdown().await;
}
