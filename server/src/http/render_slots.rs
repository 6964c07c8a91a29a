//! Rendering a page is CPU work: more pages in flight than cores only adds memory (each holds
//! its half-built page), so page renders queue for a few slots. Only page renders do: server
//! functions, API calls and static files never wait behind them, and by the time a request gets
//! here its body has been read in full (`bodies`), so a slow client cannot hold a slot.

use std::sync::OnceLock;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::Method;
use tokio::sync::Semaphore;

/// Twice the cores: one rendering while the other waits on the database.
fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        Semaphore::new(std::thread::available_parallelism().map_or(4, |n| n.get() * 2))
    })
}

/// Whether the request renders a page (rather than calling a server function under `/api/`).
fn renders_page(req: &Request) -> bool {
    matches!(*req.method(), Method::GET | Method::HEAD) && !req.uri().path().starts_with("/api/")
}

pub async fn pages_only(req: Request, next: Next) -> Response {
    if !renders_page(&req) {
        return next.run(req).await;
    }
    let _slot = slots().acquire().await.ok();
    next.run(req).await
}
