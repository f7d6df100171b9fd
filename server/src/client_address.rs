//! Who is on the other end, for the limits on sign-ins and feedback. Behind a
//! reverse proxy every request comes from the proxy; its `X-Forwarded-For`
//! names the client, but only a proxy the operator trusts
//! (`--trusted-proxy`) may say so: anyone else could write any address there.

use crate::context::ApiContext;
use crate::error::ApiError;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::net::{IpAddr, SocketAddr};

/// The client's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    /// Who the limits count (sign-ins, ballot codes): an IPv4 address, or
    /// an IPv6 address's /64 (one network: a phone gets a whole /64 and
    /// may use any address in it).
    pub fn counted_as(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        }
    }
}

#[cfg(test)]
mod counted {
    use super::*;

    #[test]
    fn an_ipv6_network_is_counted_once_and_ipv4_as_itself() {
        let of = |a: &str| ClientAddress(a.parse().unwrap()).counted_as();
        assert_eq!(of("2001:db8:1:2::1"), of("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(of("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_ne!(of("2001:db8:1:2::1"), of("2001:db8:1:3::1"));
        assert_eq!(of("203.0.113.7"), "203.0.113.7");
        assert_eq!(of("::ffff:203.0.113.7"), "203.0.113.7");
        assert_ne!(of("203.0.113.7"), of("203.0.113.8"));
    }
}

/// The client behind `peer`: the peer itself, or, when the peer is a trusted
/// proxy, the last address in `X-Forwarded-For` that is not a trusted proxy.
pub fn client_of(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = forwarded_for
        .iter()
        .flat_map(|header| header.split(','))
        .filter_map(|hop| hop.trim().parse().ok())
        .collect();
    hops.into_iter()
        .rev()
        .find(|hop| !trusted.contains(hop))
        .unwrap_or(peer)
}

impl FromRequestParts<ApiContext> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        context: &ApiContext,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(ClientAddress(client_of(
            peer,
            &forwarded,
            &context.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_trusted_proxy_names_the_client() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let stranger: IpAddr = "198.51.100.9".parse().unwrap();
        // A trusted proxy: the client it names.
        assert_eq!(client_of(proxy, &["203.0.113.7"], &[proxy]), client);
        // A chain: the last hop that is not a trusted proxy.
        assert_eq!(
            client_of(proxy, &["1.2.3.4, 203.0.113.7", "10.0.0.2"], &[proxy]),
            client
        );
        // Anyone else may write what they like: it is ignored.
        assert_eq!(client_of(stranger, &["203.0.113.7"], &[proxy]), stranger);
        // Nothing usable: the proxy itself.
        assert_eq!(client_of(proxy, &["garbage"], &[proxy]), proxy);
    }
}
