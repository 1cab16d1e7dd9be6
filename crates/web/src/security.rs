//! The security headers every response carries, and which client address and scheme to believe
//! when a load balancer stands in front.
//!
//! A forwarded header (`X-Forwarded-For`, `X-Forwarded-Proto`) is only believed when the
//! connection itself comes from one of the configured proxies (`WebConfig::trusted_proxies`):
//! anyone can write those headers, and believing them from anyone would let one client pose as
//! many (to dodge the login limit) or as an office (to lock it out).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::STRICT_TRANSPORT_SECURITY;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::{AppState, WebConfig};

/// The content security policy: only our own scripts and styles (no inline script or style, no
/// `eval`), no plugins, no framing by any site, forms only to ourselves.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// HSTS for a year: browsers that saw it never try plain HTTP again.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Adds HSTS to every response when the site is served over HTTPS: when cookies are `Secure`
/// (they only work over HTTPS, so the deployment is HTTPS) or when a trusted proxy says the
/// request came over HTTPS.
pub async fn hsts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let https = served_over_https(&state.config, &request);
    let mut response = next.run(request).await;
    if https {
        response.headers_mut().entry(STRICT_TRANSPORT_SECURITY).or_insert(HeaderValue::from_static(HSTS));
    }
    response
}

/// Whether the browser reached us over HTTPS, as far as we can know: the cookies are `Secure`,
/// or a trusted proxy says so in `X-Forwarded-Proto`.
pub fn served_over_https(config: &WebConfig, request: &Request) -> bool {
    config.secure_cookies
        || (peer_is_trusted(request, &config.trusted_proxies)
            && forwarded_proto(request.headers()).is_some_and(|p| p.eq_ignore_ascii_case("https")))
}

/// The address a request came from: the connection's peer, or, when the peer is a trusted
/// proxy, the nearest address in `X-Forwarded-For` that is not itself a trusted proxy (the
/// right-most entries are the ones our own proxies wrote; the left-most may be made up).
pub fn client_address(request: &Request, trusted_proxies: &[IpAddr]) -> String {
    let Some(peer) = peer(request) else { return "unknown".to_owned() };
    if !trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in forwarded.iter().rev() {
        // A malformed entry ends the walk: nothing to its left can be trusted either.
        let Ok(address) = entry.parse::<IpAddr>() else { break };
        client = address;
        if !trusted_proxies.contains(&address) {
            break;
        }
    }
    client.to_string()
}

fn peer(request: &Request) -> Option<IpAddr> {
    request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip())
}

fn peer_is_trusted(request: &Request, trusted_proxies: &[IpAddr]) -> bool {
    peer(request).is_some_and(|peer| trusted_proxies.contains(&peer))
}

/// The scheme the nearest proxy saw (the last value, which our proxy wrote).
fn forwarded_proto(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .next_back()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(peer: &str, forwarded: &[&str]) -> Request {
        let mut builder = Request::builder().uri("/");
        for value in forwarded {
            builder = builder.header("x-forwarded-for", *value);
        }
        let mut request = builder.body(Body::empty()).unwrap();
        request.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        request
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        // Not from the proxy: the header is anyone's invention.
        assert_eq!(client_address(&request("203.0.113.9:5000", &["198.51.100.1"]), &[proxy]), "203.0.113.9");
        assert_eq!(client_address(&request("203.0.113.9:5000", &["198.51.100.1"]), &[]), "203.0.113.9");
        // From the proxy: the address it wrote, not what the client put in front of it.
        let spoofed = request("10.0.0.2:5000", &["1.2.3.4, 198.51.100.1"]);
        assert_eq!(client_address(&spoofed, &[proxy]), "198.51.100.1");
        let two_headers = request("10.0.0.2:5000", &["1.2.3.4", "198.51.100.1"]);
        assert_eq!(client_address(&two_headers, &[proxy]), "198.51.100.1");
        // A chain of our own proxies is walked through.
        let inner: IpAddr = "10.0.0.3".parse().unwrap();
        assert_eq!(
            client_address(&request("10.0.0.2:1", &["198.51.100.1, 10.0.0.3"]), &[proxy, inner]),
            "198.51.100.1"
        );
        // Garbage stops the walk at the proxy.
        assert_eq!(client_address(&request("10.0.0.2:1", &["junk"]), &[proxy]), "10.0.0.2");
        assert_eq!(client_address(&request("10.0.0.2:1", &[]), &[proxy]), "10.0.0.2");
    }

    #[test]
    fn hsts_is_sent_over_https_or_when_a_trusted_proxy_says_https() {
        let plain = WebConfig { secure_cookies: false, trusted_proxies: vec!["10.0.0.2".parse().unwrap()] };
        let with_proto = |peer: &str, proto: &str| {
            let mut request = request(peer, &[]);
            request.headers_mut().insert("x-forwarded-proto", HeaderValue::from_str(proto).unwrap());
            request
        };
        assert!(served_over_https(&plain, &with_proto("10.0.0.2:1", "https")));
        assert!(!served_over_https(&plain, &with_proto("10.0.0.2:1", "http")));
        assert!(!served_over_https(&plain, &with_proto("203.0.113.9:1", "https")), "anyone can write the header");
        assert!(!served_over_https(&plain, &request("10.0.0.2:1", &[])));
        let secure = WebConfig { secure_cookies: true, trusted_proxies: Vec::new() };
        assert!(served_over_https(&secure, &request("203.0.113.9:1", &[])));
    }

    #[test]
    fn the_forwarded_scheme_is_the_last_one_written() {
        let mut headers = HeaderMap::new();
        headers.append("x-forwarded-proto", HeaderValue::from_static("http, https"));
        assert_eq!(forwarded_proto(&headers), Some("https"));
        headers.append("x-forwarded-proto", HeaderValue::from_static("http"));
        assert_eq!(forwarded_proto(&headers), Some("http"));
    }
}
