//! TLS to a region's server, through rustls (the `ring` provider; no OpenSSL, nothing
//! but the Rust toolchain to build). `sslmode` and `sslrootcert` are read as libpq reads
//! them: `disable`; `prefer` (the default: TLS where the server offers it, its
//! certificate not checked) and `require` (TLS or no connection; with `sslrootcert` the
//! certificate is checked as for `verify-ca`, as libpq does); `verify-ca` (the
//! certificate must come from the root: the region's own CA in `sslrootcert=FILE`, else
//! `~/.postgresql/root.crt`); `verify-full` (and must name the host connected to). The
//! `postgres` crate knows only the first three and no `sslrootcert`, so both settings
//! are taken out of the connection string here and the crate gets the rest.

use crate::error::Words;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How much of TLS a connection asks for (`sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// The TLS settings of a connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Settings {
    pub(super) mode: Mode,
    pub(super) root: Option<PathBuf>,
}

/// Takes `sslmode` and `sslrootcert` out of a `postgres://` URL or a `key=value` string:
/// the settings, and the string without them for the `postgres` crate.
pub(super) fn split(url: &str) -> Result<(String, Settings), Words> {
    let mut mode = None;
    let mut root = None;
    let mut take = |key: &str, value: &str| -> Result<bool, Words> {
        match key {
            "sslmode" => {
                mode = Some(match value {
                    "disable" => Mode::Disable,
                    "allow" | "prefer" => Mode::Prefer,
                    "require" => Mode::Require,
                    "verify-ca" => Mode::VerifyCa,
                    "verify-full" => Mode::VerifyFull,
                    other => {
                        return Err(Words::of(|lang| {
                            crate::tr!(
                                lang,
                                "ukendt sslmode {other:?} (disable, prefer, require, verify-ca eller verify-full)",
                                "unknown sslmode {other:?} (disable, prefer, require, verify-ca or verify-full)"
                            )
                        }));
                    }
                });
                Ok(true)
            }
            "sslrootcert" => {
                root = Some(PathBuf::from(value));
                Ok(true)
            }
            _ => Ok(false),
        }
    };
    let rest = if let Some((head, query)) = url.split_once('?').filter(|_| url.contains("://")) {
        let mut kept = Vec::new();
        for part in query.split('&') {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
            if !take(key, &value)? {
                kept.push(part);
            }
        }
        if kept.is_empty() {
            head.to_string()
        } else {
            format!("{head}?{}", kept.join("&"))
        }
    } else if url.contains("://") {
        url.to_string()
    } else {
        let mut kept = Vec::new();
        for part in url.split_whitespace() {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            if !take(key.trim(), value.trim_matches('\''))? {
                kept.push(part);
            }
        }
        kept.join(" ")
    };
    let mode = mode.unwrap_or(Mode::Prefer);
    // libpq: require with a root certificate checks it as verify-ca does
    let mode = if mode == Mode::Require && root.is_some() {
        Mode::VerifyCa
    } else {
        mode
    };
    Ok((rest, Settings { mode, root }))
}

impl Settings {
    /// The `postgres` crate's mode for these settings.
    pub(super) fn ssl_mode(&self) -> postgres::config::SslMode {
        use postgres::config::SslMode;
        match self.mode {
            Mode::Disable => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
        }
    }

    /// The connector: rustls with the certificate check the mode asks for.
    pub(super) fn connector(&self) -> Result<MakeRustlsConnect, Words> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| Words::of(|_| e.to_string()))?;
        let config = match self.mode {
            Mode::Disable | Mode::Prefer | Mode::Require => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
                .with_no_client_auth(),
            Mode::VerifyCa | Mode::VerifyFull => {
                let roots = Arc::new(self.roots()?);
                let webpki =
                    rustls::client::WebPkiServerVerifier::builder_with_provider(roots, provider)
                        .build()
                        .map_err(|e| Words::of(|_| e.to_string()))?;
                if self.mode == Mode::VerifyFull {
                    builder.with_webpki_verifier(webpki).with_no_client_auth()
                } else {
                    builder
                        .dangerous()
                        .with_custom_certificate_verifier(Arc::new(AnyName(webpki)))
                        .with_no_client_auth()
                }
            }
        };
        Ok(MakeRustlsConnect::new(config))
    }

    /// The root certificates: `sslrootcert`, else `~/.postgresql/root.crt`.
    fn roots(&self) -> Result<RootCertStore, Words> {
        let file = self.root.clone().or_else(|| {
            directories::BaseDirs::new().map(|d| d.home_dir().join(".postgresql/root.crt"))
        });
        let Some(file) = file.filter(|f| f.is_file()) else {
            return Err(Words::of(|lang| {
                lang.pick(
                    "sslmode=verify-ca og verify-full kræver regionens rodcertifikat: sslrootcert=FIL i adressen (eller ~/.postgresql/root.crt)",
                    "sslmode=verify-ca and verify-full need the region's root certificate: sslrootcert=FILE in the address (or ~/.postgresql/root.crt)",
                )
                .to_string()
            }));
        };
        let shown = file.display().to_string();
        let unreadable = |detail: String| {
            Words::of(|lang| {
                crate::tr!(
                    lang,
                    "rodcertifikatet {shown} kan ikke læses: {detail}",
                    "the root certificate {shown} cannot be read: {detail}"
                )
            })
        };
        let mut roots = RootCertStore::empty();
        for cert in CertificateDer::pem_file_iter(&file).map_err(|e| unreadable(e.to_string()))? {
            let cert = cert.map_err(|e| unreadable(e.to_string()))?;
            roots.add(cert).map_err(|e| unreadable(e.to_string()))?;
        }
        if roots.is_empty() {
            return Err(unreadable("no certificate (PEM)".to_string()));
        }
        Ok(roots)
    }
}

/// What was wrong with the server's certificate, where a connection failed on it.
pub(super) fn certificate_problem(e: &postgres::Error) -> Option<Words> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        // tokio-rustls wraps the rustls error in an io::Error, whose source skips it
        let inner = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|e| e as &(dyn std::error::Error + 'static))
            .unwrap_or(s);
        if let Some(rustls::Error::InvalidCertificate(c)) = inner.downcast_ref::<rustls::Error>() {
            let (da, en) = match c {
                CertificateError::UnknownIssuer | CertificateError::BadSignature => (
                    "det er ikke udstedt af rodcertifikatet (sslrootcert)",
                    "it is not issued by the root certificate (sslrootcert)",
                ),
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => (
                    "det gælder ikke for serverens navn i adressen",
                    "it is not valid for the server's name in the address",
                ),
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    ("det er udløbet", "it has expired")
                }
                _ => ("det kan ikke godkendes", "it cannot be accepted"),
            };
            return Some(Words {
                da: format!("serverens certifikat afvises: {da}"),
                en: format!("the server's certificate is refused: {en}"),
            });
        }
        source = s.source();
    }
    None
}

/// `prefer` and `require` as libpq has them: encrypted, the certificate not checked
/// (the handshake's signatures still are).
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain to the root checked, the host's name not.
#[derive(Debug)]
struct AnyName(Arc<rustls::client::WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tls_settings_come_out_of_the_address_and_the_rest_stays() {
        let (rest, s) =
            split("postgres://mette@db/tilsyn?sslmode=verify-full&sslrootcert=%2Fetc%2Fregion.crt&application_name=t")
                .unwrap();
        assert_eq!(rest, "postgres://mette@db/tilsyn?application_name=t");
        assert_eq!(s.mode, Mode::VerifyFull);
        assert_eq!(s.root, Some(PathBuf::from("/etc/region.crt")));
        let (rest, s) = split("host=db sslmode=require sslrootcert=/r.crt dbname=t").unwrap();
        assert_eq!(rest, "host=db dbname=t");
        // libpq: require with a root checks the certificate
        assert_eq!(s.mode, Mode::VerifyCa);
        let (rest, s) = split("postgres://db/t?sslmode=disable").unwrap();
        assert_eq!((rest.as_str(), s.mode), ("postgres://db/t", Mode::Disable));
        assert_eq!(split("postgres://db/t").unwrap().1.mode, Mode::Prefer);
        assert!(split("postgres://db/t?sslmode=sometimes").is_err());
        let none = Settings {
            mode: Mode::VerifyFull,
            root: Some(PathBuf::from("/nonexistent/root.crt")),
        };
        assert!(none.connector().is_err());
    }
}
