//! Passwords are stored only as argon2id hashes (PHC strings).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::OsRng;

/// A password check waiting for a hashing thread.
type Check = Box<dyn FnOnce() + Send>;

/// The threads that hash passwords: one per core, no more. argon2 takes
/// 19 MiB for each check, and the allocator keeps a thread's memory for
/// that thread: checks spread over the runtime's blocking threads (dozens
/// of them when a classroom signs in together) left hundreds of MiB held.
/// A queue of bounded length in front of them.
static HASHERS: std::sync::LazyLock<std::sync::mpsc::SyncSender<Check>> =
    std::sync::LazyLock::new(|| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Check>(1024);
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for n in 0..threads {
            let receiver = receiver.clone();
            let _ = std::thread::Builder::new()
                .name(format!("password-{n}"))
                .spawn(move || loop {
                    let next = receiver.lock().map(|r| r.recv());
                    match next {
                        Ok(Ok(check)) => check(),
                        _ => return,
                    }
                });
        }
        sender
    });

/// Runs `check` (hashing or verifying a password) on a hashing thread, in
/// its turn: busy (503, retry) when the queue is full or the turn does not
/// come within the database's patience.
pub async fn checked<T: Send + 'static>(
    check: impl FnOnce() -> T + Send + 'static,
) -> Result<T, crate::error::ApiError> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    HASHERS
        .try_send(Box::new(move || {
            let _ = answer.send(check());
        }))
        .map_err(|_| crate::error::ApiError::Busy)?;
    match tokio::time::timeout(crate::db::BUSY_WAIT * 2, answered).await {
        Ok(Ok(value)) => Ok(value),
        _ => Err(crate::error::ApiError::Busy),
    }
}

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password with default parameters")
        .to_string()
}

/// A password the server made (72 random bits, replaced at the first
/// sign-in): guessing it is hopeless however fast the hash, so a light
/// argon2id (1 MiB, one pass) keeps a roster of thousands importable in
/// seconds. The PHC string carries its parameters; `verify` reads them.
pub fn hash_generated(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    let params = argon2::Params::new(1024, 1, 1, None).expect("valid argon2 parameters");
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            // The parameters are the stored hash's own (a generated
            // password's are lighter).
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Verifies against a fixed hash, so that an unknown login costs as much time
/// as a known one and does not reveal which logins exist.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("no account has this password"));
    let _ = verify(password, stored);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = super::hash("chengnuo-demo");
        assert!(stored.starts_with("$argon2id$"));
        assert!(super::verify("chengnuo-demo", &stored));
        assert!(!super::verify("chengnuo-dem0", &stored));
        assert!(!super::verify("chengnuo-demo", "not a hash"));
        assert_ne!(stored, super::hash("chengnuo-demo"), "salted");
    }

    #[test]
    fn a_generated_password_is_hashed_lightly_and_verifies_like_any() {
        let hash = super::hash_generated("0123456789abcdef01");
        assert!(hash.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{hash}");
        assert!(super::verify("0123456789abcdef01", &hash));
        assert!(!super::verify("0123456789abcdef02", &hash));
        assert_ne!(
            super::hash_generated("x"),
            super::hash_generated("x"),
            "salted"
        );
    }
}
