//! The `email` receiver: SMTP with lettre over rustls (no OpenSSL), STARTTLS, implicit TLS or
//! none; a plain-text and an HTML part; `Message-ID` from the notice id, so mail systems fold
//! the at-most-one re-send. The server's 5xx answers (a refused password among them) are
//! permanent; 4xx and connection trouble are retried.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::secret::Secret;
use super::view::{Notice, Words};
use super::{Answer, Failure};
use crate::store::Pending;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    StartTls,
    Tls,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub from: String,
    pub to: Vec<String>,
    /// A CA certificate (PEM) trusted besides the system's: a private relay's.
    pub ca_file: Option<PathBuf>,
}

pub fn send(e: &Email, p: &Pending, timeout: Duration, w: &Words) -> Answer {
    let n = Notice::parse(&p.payload);
    let message = match n.montui_report.is_empty() {
        true => message(e, &n, &p.notice, w).map_err(Failure::permanent)?,
        false => report(e, &n, &p.notice)?,
    };
    let transport = transport(e, timeout)?;
    let to = e.to.join(", ");
    let answer = |r: lettre::transport::smtp::response::Response| {
        let said: Vec<&str> = r.message().collect();
        format!("{} {} (to {to})", r.code(), said.join(" "))
    };
    transport.send(&message).map(answer).map_err(|err| {
        let said = crate::text::one_line(&err.to_string()).to_string();
        match err.is_permanent() {
            true => Failure::permanent(said),
            false => Failure::retry(said),
        }
    })
}

fn transport(e: &Email, timeout: Duration) -> Result<SmtpTransport, Failure> {
    crate::tls::provider();
    let tls = || -> Result<TlsParameters, Failure> {
        let mut b = TlsParameters::builder(e.host.clone());
        if let Some(ca) = &e.ca_file {
            let pem = std::fs::read(ca)
                .map_err(|err| Failure::retry(format!("cannot read {}: {err}", ca.display())))?;
            let cert = Certificate::from_pem(&pem)
                .map_err(|err| Failure::permanent(format!("{}: {err}", ca.display())))?;
            b = b.add_root_certificate(cert);
        }
        b.build_rustls()
            .map_err(|err| Failure::permanent(format!("TLS: {err}")))
    };
    let tls = match e.security {
        Security::StartTls => Tls::Required(tls()?),
        Security::Tls => Tls::Wrapper(tls()?),
        Security::None => Tls::None,
    };
    let mut b = SmtpTransport::builder_dangerous(e.host.clone())
        .port(e.port)
        .tls(tls)
        .timeout(Some(timeout));
    if let Some(user) = &e.username {
        let password = match &e.password {
            Some(s) => s.value().map_err(Failure::retry)?,
            None => String::new(),
        };
        b = b.credentials(Credentials::new(user.clone(), password));
    }
    Ok(b.build())
}

/// The mail: subject the notice's title, a text part and an HTML part.
pub fn message(e: &Email, n: &Notice, id: &str, w: &Words) -> Result<Message, String> {
    let b = builder(e, &w.title, id)?;
    let text = format!(
        "{}\n-- \nmontui notice {}\n",
        w.body.trim_end(),
        n.montui_notice_id
    );
    let html = match w.own_body {
        true => format!("<html><body><pre>{}</pre></body></html>", escape(&w.body)),
        false => html(n),
    };
    b.multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|err| err.to_string())
}

/// A report made on schedule: its title the subject, the HTML file the body (a file not
/// there yet, or gone, is tried again).
fn report(e: &Email, n: &Notice, id: &str) -> Result<Message, Failure> {
    let path = std::path::Path::new(&n.montui_report);
    let html = std::fs::read_to_string(path)
        .map_err(|err| Failure::retry(format!("{}: {err}", path.display())))?;
    let text = format!(
        "{}: the report is the HTML part of this mail, and in {}.\n-- \nmontui notice {}\n",
        n.montui_title,
        path.display(),
        n.montui_notice_id
    );
    let b = builder(e, &n.montui_title, id).map_err(Failure::permanent)?;
    b.multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|err| Failure::permanent(err.to_string()))
}

/// From, to, subject and a `Message-ID` from the notice id.
fn builder(e: &Email, subject: &str, id: &str) -> Result<lettre::message::MessageBuilder, String> {
    let mailbox = |s: &str| {
        s.parse::<Mailbox>()
            .map_err(|err| format!("address `{s}`: {err}"))
    };
    let mut b = Message::builder()
        .from(mailbox(&e.from)?)
        .subject(subject)
        .message_id(Some(format!("<{id}@montui>")));
    for to in &e.to {
        b = b.to(mailbox(to)?);
    }
    Ok(b)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html(n: &Notice) -> String {
    let esc = escape;
    let mut out = format!("<html><body><h2>{}</h2><ul>", esc(&n.title()));
    for a in &n.alerts {
        let colour = match a.status.as_str() {
            "firing" => "#d00000",
            _ => "#2eb886",
        };
        out.push_str(&format!(
            "<li><b style=\"color:{colour}\">{}</b> {}<br><small>{}</small></li>",
            esc(&a.status.to_uppercase()),
            esc(&a.line()),
            esc(&a.label_text())
        ));
    }
    out.push_str(&format!(
        "</ul><p><small>montui notice {}</small></p></body></html>",
        esc(&n.montui_notice_id)
    ));
    out
}
