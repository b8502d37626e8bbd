//! The `--attach` URL, read with a real URL parser: whether it names this machine (an IP in
//! 127.0.0.0/8, `::1`, or the host `localhost`; never a name such as `127.evil.example`, nor
//! the user part of `http://127.0.0.1:80@HOST`), the credentials it may carry (taken out of
//! it and sent as basic auth), and the form shown in messages and logs (credentials masked).

use url::{Host, Url};

/// A parsed `--attach` URL.
#[derive(Debug, Clone)]
pub struct AttachUrl {
    /// Without credentials or trailing slash: what the client connects to and logs.
    pub base: String,
    /// `user:password@` of the URL, percent-decoded (the password may be empty).
    pub credentials: Option<(String, String)>,
    pub loopback: bool,
    pub https: bool,
}

/// `url` with any `user:password@` replaced by `***@`, for messages and logs; a text that
/// does not parse is masked up to its last `@` before the path.
pub fn redact(url: &str) -> String {
    if let Ok(mut u) = Url::parse(url) {
        if u.username().is_empty() && u.password().is_none() {
            return url.to_string();
        }
        let _ = u.set_password(None);
        let _ = u.set_username("***");
        return u.to_string();
    }
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (format!("{s}://"), r),
        None => (String::new(), url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
        None => url.to_string(),
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl AttachUrl {
    /// Parses `url`; the error is a one-line message that never holds its credentials.
    pub fn parse(url: &str) -> Result<AttachUrl, String> {
        let bad = || {
            format!(
                "invalid server URL {}: expected http://host:port or https://host:port",
                redact(url)
            )
        };
        let mut u = Url::parse(url.trim()).map_err(|_| bad())?;
        let https = match u.scheme() {
            "https" => true,
            "http" => false,
            _ => return Err(bad()),
        };
        let loopback = match u.host() {
            Some(Host::Ipv4(ip)) => ip.is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => return Err(bad()),
        };
        let credentials = (!u.username().is_empty() || u.password().is_some()).then(|| {
            (
                decode(u.username()),
                decode(u.password().unwrap_or_default()),
            )
        });
        let _ = u.set_password(None);
        let _ = u.set_username("");
        let base = u.to_string().trim_end_matches('/').to_string();
        Ok(AttachUrl {
            base,
            credentials,
            loopback,
            https,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback(url: &str) -> bool {
        AttachUrl::parse(url).unwrap().loopback
    }

    #[test]
    fn only_this_machine_is_loopback() {
        for url in [
            "http://127.0.0.1:4096",
            "http://127.9.8.7:1/x",
            "http://localhost:1/x",
            "http://LOCALHOST:1",
            "http://[::1]:80",
        ] {
            assert!(loopback(url), "{url}");
        }
        for url in [
            "http://10.0.0.2:4096",
            "http://example.com",
            "http://127.evil.example:4096",
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1:80@evil.example:4096",
            "http://127.0.0.1@10.0.0.2",
            "http://[::2]:80",
        ] {
            assert!(!loopback(url), "{url}");
        }
    }

    #[test]
    fn credentials_are_taken_out_and_masked() {
        let a = AttachUrl::parse("http://me:s%40cret@10.0.0.2:4096/").unwrap();
        assert_eq!(a.base, "http://10.0.0.2:4096");
        assert_eq!(a.credentials, Some(("me".into(), "s@cret".into())));
        assert_eq!(
            redact("http://me:s%40cret@10.0.0.2:4096/"),
            "http://***@10.0.0.2:4096/"
        );
        assert_eq!(redact("http://10.0.0.2:4096"), "http://10.0.0.2:4096");
        let e = AttachUrl::parse("ftp://me:hunter2@host").unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
        assert_eq!(redact("not a url me:hunter2@x/y"), "***@x/y");
        let e = AttachUrl::parse("http://me:hunter2@").unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
    }
}
