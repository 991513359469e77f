//! Outgoing email over SMTP, and a small SMTP sink for the demo and the tests, so
//! that what is "sent" is a real message that arrived over a real connection.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the mail settings are not valid: {0}")]
    Settings(String),
    #[error("the message could not be sent: {0}")]
    Send(String),
}

/// Sends email through one SMTP server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    // The transport may hold credentials: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// From an SMTP URL as lettre reads it, for example `smtp://relay.council.gov.uk:587?tls=required`
    /// or `smtps://user:password@host`, and the address mail comes from.
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| MailError::Settings(e.to_string()))?
            .build();
        let from = from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Settings(e.to_string()))?;
        Ok(Mailer { transport, from })
    }

    /// A plain-text message to one person.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Send(e.to_string()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .body(body.to_owned())
            .map_err(|e| MailError::Send(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailError::Send(e.to_string()))?;
        Ok(())
    }
}

/// A received message, as the sink saw it (headers and body, dot-unstuffed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    pub to: Vec<String>,
    pub data: String,
}

/// A local SMTP server that accepts everything and keeps it: for the demo (which
/// prints each message) and tests (which read them).
#[derive(Debug, Clone)]
pub struct MailSink {
    pub address: std::net::SocketAddr,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl MailSink {
    /// Starts listening on a free local port. `on_mail` runs for each message.
    pub async fn start(on_mail: impl Fn(&ReceivedMail) + Send + Sync + 'static) -> std::io::Result<MailSink> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        let on_mail = Arc::new(on_mail);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                let on_mail = on_mail.clone();
                tokio::spawn(async move {
                    if let Ok(Some(mail)) = converse(stream).await {
                        on_mail(&mail);
                        if let Ok(mut all) = store.lock() {
                            all.push(mail);
                        }
                    }
                });
            }
        });
        Ok(MailSink { address, received })
    }

    /// The SMTP URL to send to this sink (plain SMTP: it is on this machine only).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.address)
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().map(|all| all.clone()).unwrap_or_default()
    }
}

/// One SMTP conversation (RFC 5321, the commands a client sends to deliver one
/// message); returns the message if one was sent.
async fn converse(stream: tokio::net::TcpStream) -> std::io::Result<Option<ReceivedMail>> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 pathways-mail-sink ESMTP\r\n").await?;
    let mut to = Vec::new();
    let mut mail = None;
    while let Some(line) = lines.next_line().await? {
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250 pathways-mail-sink\r\n"
        } else if command.starts_with("RCPT TO:") {
            to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
            b"250 OK\r\n"
        } else if command == "DATA" {
            write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
            let mut data = String::new();
            while let Some(line) = lines.next_line().await? {
                if line == "." {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                data.push('\n');
            }
            mail = Some(ReceivedMail {
                to: std::mem::take(&mut to),
                data,
            });
            b"250 OK: queued\r\n"
        } else if command == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            break;
        } else {
            b"250 OK\r\n"
        };
        write.write_all(reply).await?;
    }
    Ok(mail)
}

/// The body of a message with quoted-printable soft line breaks joined, so a link
/// split across lines can be read back whole.
pub fn plain_text(data: &str) -> String {
    let body = data.split_once("\n\n").map_or(data, |(_, body)| body);
    body.replace("=\n", "").replace("=3D", "=")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_message_sent_over_smtp_arrives_in_the_sink() {
        let sink = MailSink::start(|_| {}).await.unwrap();
        let mailer = Mailer::new(&sink.url(), "Pathways <pathways@demoshire.test>").unwrap();
        mailer.send("pa.north1@demoshire.test", "Hello", "A line that is long enough to be wrapped by quoted-printable encoding, with a link https://example.test/reset-password?token=abc_DEF-123 at the end").await.unwrap();
        let mut received = Vec::new();
        for _ in 0..100 {
            received = sink.received();
            if !received.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].to, ["pa.north1@demoshire.test"]);
        assert!(received[0].data.contains("Subject: Hello"));
        assert!(plain_text(&received[0].data).contains("https://example.test/reset-password?token=abc_DEF-123"));
    }
}
