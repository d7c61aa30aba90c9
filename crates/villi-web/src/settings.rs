//! What a server needs to know about its practice and its surroundings.

use crate::net::TrustedProxies;

/// Per-server settings, built by the binary from its configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Public name of the practice ("Riverside Gut Health").
    pub practice_name: String,
    /// One line about the practice for the home page.
    pub practice_tagline: String,
    /// Absolute URL the practice is reached at, without a trailing slash;
    /// links in emails are built from it.
    pub base_url: String,
    /// Address emails come from.
    pub mail_from: String,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
    pub rate_limits: RateLimits,
    /// Most active (future) bookings one email address may hold.
    pub max_active_bookings_per_email: u32,
    /// Minutes before the appointment that reminders go out.
    pub reminder_offsets_min: Vec<u32>,
    /// Cookies get the `Secure` attribute (off only for plain-HTTP development).
    pub secure_cookies: bool,
}

/// Limits that protect the public booking endpoints.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// Booking, cancel and reschedule POSTs per peer address per window.
    pub booking_posts: u32,
    pub window_secs: i64,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            booking_posts: 10,
            window_secs: 3600,
        }
    }
}

impl Settings {
    /// Defaults suited to a local trial: a demo name and `http://127.0.0.1:8080`.
    pub fn local(base_url: &str) -> Self {
        Self {
            practice_name: "villi practice".to_owned(),
            practice_tagline: "Gut-health dietetics: understand what drives your symptoms."
                .to_owned(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            mail_from: "villi <no-reply@localhost>".to_owned(),
            trusted_proxies: TrustedProxies::default(),
            rate_limits: RateLimits::default(),
            max_active_bookings_per_email: 3,
            reminder_offsets_min: vec![24 * 60, 60],
            secure_cookies: false,
        }
    }
}
