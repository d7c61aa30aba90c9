//! Starting the store, the worker and the web server, and stopping them
//! cleanly: in-flight requests finish, the worker finishes the jobs in hand.

use std::process::ExitCode;

use anyhow::Context;
use villi_store::Store;
use villi_web::mail::SmtpSettings;
use villi_web::{AppState, Mailer, RateLimits, Settings, TrustedProxies};

use crate::config::Config;

/// Connects (creating the SQLite file and data dir if needed) and migrates.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data dir {}", config.data_dir.display()))?;
    let url = config.database_url();
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("cannot open database {}", config.database_url_redacted()))?;
    store.migrate().await.context("migrations failed")?;
    Ok(store)
}

fn settings(config: &Config) -> anyhow::Result<Settings> {
    let base_url = config.base_url();
    Ok(Settings {
        practice_name: config.practice_name.clone(),
        practice_tagline: config.practice_tagline.clone(),
        mail_from: config.mail_from.clone(),
        trusted_proxies: TrustedProxies::parse(&config.trusted_proxies)
            .map_err(anyhow::Error::msg)?,
        rate_limits: RateLimits {
            booking_posts: config.booking_rate_limit,
            window_secs: 3600,
        },
        max_active_bookings_per_email: config.max_active_bookings_per_email,
        reminder_offsets_min: config.reminder_minutes.clone(),
        secure_cookies: base_url.starts_with("https://"),
        base_url,
    })
}

fn mailer(config: &Config) -> anyhow::Result<Mailer> {
    match &config.smtp {
        Some(s) => Ok(Mailer::smtp(&SmtpSettings {
            host: s.host.clone(),
            port: s.port,
            username: s.username.clone(),
            password: s.password.clone(),
            security: s.security.clone(),
        })?),
        None => {
            let dir = config.data_dir.join("outbox");
            Mailer::outbox(&dir).with_context(|| format!("cannot create outbox {}", dir.display()))
        }
    }
}

pub async fn serve(config: &Config) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let state = AppState::new(store, settings(config)?, mailer(config)?);
    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = if config.worker {
        let runtime = tokio::runtime::Handle::current();
        let worker = villi_web::worker::spawn_background(runtime, state.clone(), stop_rx)
            .context("cannot start the background worker")?;
        Some(worker)
    } else {
        None
    };
    tracing::info!(
        address = %config.bind,
        url = %config.base_url(),
        database = %config.database_url_redacted(),
        "villi is listening"
    );
    villi_web::serve(listener, state.clone(), shutdown_signal()).await?;
    let _ = stop_tx.send(true);
    if let Some(worker) = worker {
        // The worker finishes the jobs in hand; joining blocks, so not here.
        let _ = tokio::task::spawn_blocking(move || worker.join()).await;
    }
    // Every acknowledged write is already durable; closing lets SQLite fold
    // its log back into the database file.
    state.store.close().await;
    tracing::info!("villi stopped");
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
