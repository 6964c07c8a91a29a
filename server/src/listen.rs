//! Accepting connections. Written here rather than with `axum::serve` because that sets no
//! timer, so hyper's header timeout never fires, and it accepts without bound: a client that
//! opens connections and never finishes its headers would hold them for ever. Here every
//! connection must send its headers within [`HEADER_TIMEOUT`] (idle keep-alive included), and
//! connections are capped per client address and in all, so slow or stalled clients cannot take
//! the capacity other shoppers need. Request bodies have their own limits (`http::bodies`).

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::connect_info::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// Time a client has to send a request's headers, and to start its next request on a kept-alive
/// connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections in all: well under the process's file limit, with room for the database.
pub const TOTAL: usize = 8192;
/// How long in-flight requests may finish after a shutdown signal.
const DRAIN: Duration = Duration::from_secs(10);

/// Counts open connections per address, up to `most` each.
#[derive(Clone)]
struct PerAddress {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
    most: usize,
}

struct AddressSlot {
    map: PerAddress,
    ip: IpAddr,
}

impl PerAddress {
    fn take(&self, ip: IpAddr) -> Option<AddressSlot> {
        let mut m = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = m.entry(ip).or_insert(0);
        if *n >= self.most {
            return None;
        }
        *n += 1;
        Some(AddressSlot {
            map: self.clone(),
            ip,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut m = self.map.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = m.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                m.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish
/// (at most [`DRAIN`]). Each client address holds at most `per_address` open connections
/// (`connections_per_address` in the configuration). Handlers see the peer as
/// `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    per_address: usize,
    shutdown: impl Future<Output = ()>,
) {
    let total = Arc::new(Semaphore::new(TOTAL));
    let per_address = PerAddress {
        open: Arc::default(),
        most: per_address,
    };
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // out of file descriptors and the like: wait instead of spinning
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slots) = admit(&total, &per_address, peer.ip()) else {
            metrics::counter!("http_connections_refused_total").increment(1);
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: http::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(req.map(axum::body::Body::new))
        });
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _slots = slots;
            if let Err(e) = conn.await {
                tracing::trace!("connection from {peer}: {e}");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after {DRAIN:?}; stopping anyway");
    }
}

fn admit(
    total: &Arc<Semaphore>,
    per_address: &PerAddress,
    ip: IpAddr,
) -> Option<(OwnedSemaphorePermit, AddressSlot)> {
    let address = per_address.take(ip)?;
    let permit = total.clone().try_acquire_owned().ok()?;
    Some((permit, address))
}
