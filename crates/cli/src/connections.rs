//! `indsats serve`'s accept loop: a limit on open connections, and header-read and idle
//! timeouts on each.
//!
//! `axum::serve` gives hyper no timer, so hyper's header-read timeout never runs: a connection
//! that sends nothing stays open for ever, and about 20,000 of them exhausted the file limit
//! and the server stopped accepting. Here each connection is hyper's HTTP/1 connection with a
//! timer: the header-read timeout runs from the moment hyper waits for a request's head, which
//! is also the idle time between requests on a kept-alive connection. The number of open
//! connections is limited; once it is reached, new ones wait in the kernel's backlog instead
//! of taking file descriptors. Handler time is bounded by the router's own request timeout.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How long a connection may take to send a request's head, and stay idle between requests.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(20);
/// Open connections at most, by default: well under the usual limit of 1,024 open files, with
/// room for the database connections and the register files. A load balancer in front keeps
/// few connections open; browsers a handful each.
pub const MAX_CONNECTIONS: usize = 512;

/// The limits [`serve`] applies.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// See [`HEADER_READ_TIMEOUT`].
    pub header_read_timeout: Duration,
    /// See [`MAX_CONNECTIONS`].
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { header_read_timeout: HEADER_READ_TIMEOUT, max_connections: MAX_CONNECTIONS }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets requests in flight finish.
/// Each request carries the peer's address as `ConnectInfo<SocketAddr>`, as
/// `into_make_service_with_connect_info` gives it.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (closing, closed) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    let mut connections = JoinSet::new();
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, or the peer gave up before we took it: wait a
                    // little rather than spin, and go on.
                    tracing::warn!(error = %err, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let service = app.clone().map_request(move |request: axum::http::Request<Incoming>| {
            let mut request = request.map(axum::body::Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let mut closed = closed.clone();
        connections.spawn(async move {
            let _permit = permit;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
            let mut connection =
                pin!(builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = closed.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        // Forget the connections that have ended.
        while connections.try_join_next().is_some() {}
    }
    let _ = closing.send(true);
    while connections.join_next().await.is_some() {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    async fn start(limits: Limits) -> (SocketAddr, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route(
            "/",
            axum::routing::get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.ip().to_string() }),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, app, limits, async move {
            let _ = stopped.await;
        }));
        (addr, stop, server)
    }

    async fn get(stream: &mut TcpStream) -> String {
        stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut buf = vec![0; 1024];
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await.unwrap().unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    /// Reads until the server closes the connection; how long that took.
    async fn closed_after(stream: &mut TcpStream) -> Duration {
        let started = std::time::Instant::now();
        let mut buf = vec![0; 1024];
        loop {
            match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
                Ok(Ok(0) | Err(_)) => return started.elapsed(),
                Ok(Ok(_)) => {}
                Err(elapsed) => panic!("the connection is still open after 5 s ({elapsed})"),
            }
        }
    }

    #[tokio::test]
    async fn a_silent_or_idle_connection_is_closed_after_the_header_read_timeout() {
        let limits = Limits { header_read_timeout: Duration::from_millis(300), max_connections: 8 };
        let (addr, stop, server) = start(limits).await;
        // Sends nothing at all.
        let mut silent = TcpStream::connect(addr).await.unwrap();
        assert!(closed_after(&mut silent).await < Duration::from_secs(2));
        // Sends half a request head and stops.
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHost:").await.unwrap();
        assert!(closed_after(&mut slow).await < Duration::from_secs(2));
        // Asks once, answered with its address, then idles on a kept-alive connection.
        let mut idle = TcpStream::connect(addr).await.unwrap();
        let answer = get(&mut idle).await;
        assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("127.0.0.1"), "{answer}");
        assert!(closed_after(&mut idle).await < Duration::from_secs(2));
        stop.send(()).unwrap();
        server.await.unwrap();
    }

    #[tokio::test]
    async fn connections_beyond_the_limit_wait_until_one_ends() {
        let limits = Limits { header_read_timeout: Duration::from_secs(30), max_connections: 2 };
        let (addr, stop, server) = start(limits).await;
        let mut first = TcpStream::connect(addr).await.unwrap();
        let mut second = TcpStream::connect(addr).await.unwrap();
        assert!(get(&mut first).await.starts_with("HTTP/1.1 200"));
        assert!(get(&mut second).await.starts_with("HTTP/1.1 200"));
        // The third is accepted by the kernel but not served while two are open.
        let mut third = TcpStream::connect(addr).await.unwrap();
        third.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut buf = vec![0; 1024];
        let waited = tokio::time::timeout(Duration::from_millis(300), third.read(&mut buf)).await;
        assert!(waited.is_err(), "served beyond the limit");
        drop(first);
        let n = tokio::time::timeout(Duration::from_secs(5), third.read(&mut buf)).await.unwrap().unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        stop.send(()).unwrap();
        drop((second, third));
        server.await.unwrap();
    }
}
