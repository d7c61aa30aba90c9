//! A bare HTTP/1.1 client: one kept-alive connection, one request at a time.
//!
//! Deliberately minimal (no pool, no redirects, no TLS) so that the load
//! generator's own cost per request stays small and the same for every
//! server it is pointed at.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{ACCEPT_ENCODING, CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Where requests go: a loopback address and the `Host` header to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub addr: SocketAddr,
    host: String,
    /// Sent as `Accept-Encoding` when set, as browsers send `gzip, ...`.
    accept_encoding: Option<String>,
}

impl Target {
    /// Parses `http://127.0.0.1:PORT` (a trailing `/` is allowed).
    ///
    /// Only loopback addresses are accepted: the benchmark must never send
    /// its load anywhere but this machine.
    pub fn parse(base_url: &str) -> anyhow::Result<Self> {
        let rest = base_url
            .strip_prefix("http://")
            .with_context(|| format!("'{base_url}' must start with http://"))?;
        let authority = rest.trim_end_matches('/');
        if authority.contains('/') {
            bail!("'{base_url}' must be a bare base URL without a path");
        }
        let addr: SocketAddr = authority
            .parse()
            .with_context(|| format!("'{authority}' is not an IP address with a port"))?;
        if !addr.ip().is_loopback() {
            bail!("'{base_url}' is not a loopback address; the benchmark only loads 127.0.0.1");
        }
        Ok(Self {
            addr,
            host: authority.to_owned(),
            accept_encoding: None,
        })
    }

    /// The same target, asking for replies in `encoding` (e.g. `gzip`).
    pub fn accepting(mut self, encoding: Option<String>) -> Self {
        self.accept_encoding = encoding;
        self
    }
}

/// What came back: the status and the whole body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Bytes,
}

/// One open HTTP/1.1 connection.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    host: String,
    accept_encoding: Option<String>,
}

impl Connection {
    /// Connects to `target` with Nagle off, as a browser would.
    pub async fn open(target: &Target) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(target.addr)
            .await
            .with_context(|| format!("connecting to {}", target.addr))?;
        stream.set_nodelay(true).context("setting TCP_NODELAY")?;
        let (sender, conn) = http1::handshake(TokioIo::new(stream))
            .await
            .context("HTTP/1.1 handshake")?;
        // The connection task ends by itself when the sender is dropped.
        tokio::spawn(conn);
        Ok(Self {
            sender,
            host: target.host.clone(),
            accept_encoding: target.accept_encoding.clone(),
        })
    }

    /// Sends one request and reads the whole reply.
    pub async fn send(
        &mut self,
        method: Method,
        path_and_query: &str,
        json_body: Option<Bytes>,
    ) -> anyhow::Result<Reply> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path_and_query)
            .header(HOST, &self.host);
        if json_body.is_some() {
            builder = builder.header(CONTENT_TYPE, "application/json");
        }
        if let Some(encoding) = &self.accept_encoding {
            builder = builder.header(ACCEPT_ENCODING, encoding);
        }
        let request = builder
            .body(Full::new(json_body.unwrap_or_default()))
            .with_context(|| format!("building a request for {path_and_query}"))?;
        self.sender.ready().await.context("connection closed")?;
        let response = self
            .sender
            .send_request(request)
            .await
            .with_context(|| format!("sending {path_and_query}"))?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .with_context(|| format!("reading the reply to {path_and_query}"))?
            .to_bytes();
        Ok(Reply { status, body })
    }

    /// `GET path` expecting JSON back with status 200.
    pub async fn get_json(&mut self, path: &str) -> anyhow::Result<serde_json::Value> {
        let reply = self.send(Method::GET, path, None).await?;
        if reply.status != StatusCode::OK {
            bail!(
                "GET {path} answered {}: {}",
                reply.status,
                String::from_utf8_lossy(&reply.body)
            );
        }
        serde_json::from_slice(&reply.body).with_context(|| format!("GET {path}: not JSON"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loopback_base_url_is_accepted_with_or_without_a_trailing_slash() {
        let t = Target::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(t.addr, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(Target::parse("http://127.0.0.1:8080").unwrap(), t);
    }

    #[test]
    fn an_address_off_this_machine_is_refused() {
        let err = Target::parse("http://10.0.0.5:80").unwrap_err();
        assert!(err.to_string().contains("loopback"), "{err}");
    }

    #[test]
    fn a_url_with_a_path_or_without_http_is_refused() {
        assert!(Target::parse("http://127.0.0.1:80/api").is_err());
        assert!(Target::parse("https://127.0.0.1:80").is_err());
        assert!(Target::parse("127.0.0.1:80").is_err());
        assert!(Target::parse("http://localhost:80").is_err());
    }
}
