//! The database: one pool over SQLite (embedded default) or PostgreSQL, chosen by URL.
//!
//! Repositories use `sqlx::Any` with portable SQL (`$n` placeholders, `RETURNING`, integer fen,
//! integer millisecond timestamps, text enums), so one query serves both backends.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Result<Self, String> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(format!(
                "unsupported database URL scheme (use sqlite:// or postgres://): {}",
                redact_url(url)
            ))
        }
    }
}

/// A PostgreSQL connection used less than this long ago is handed out without a ping.
pub const PING_IF_IDLE_FOR: Duration = Duration::from_secs(1);

/// The pool settings of `backend`, at most `max` connections.
fn pool_options(backend: Backend, max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        // A connection is pinged before use only after PING_IF_IDLE_FOR idle (as HikariCP's
        // bypass window): a ping on every acquire doubled the round trips of a busy
        // PostgreSQL pool (a 秒杀 rush: the token and key reads are one query each), and a
        // connection that dropped since its last use fails its query, which is answered as an
        // error and the connection closed. A SQLite connection lives in this process and
        // cannot drop (a ping cost a round trip to its worker thread: measured, one in five of
        // a checkout's).
        .test_before_acquire(false)
        .before_acquire(move |conn, meta| {
            Box::pin(async move {
                if backend == Backend::Postgres && meta.idle_for >= PING_IF_IDLE_FOR {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // the WAL is copied back into the database by a background task
                    // (`checkpoint_in_background`); a commit copies it only when the WAL
                    // reaches WAL_CHECKPOINT_PAGES (that task not running, as in one-off
                    // commands)
                    conn.execute(
                        format!(
                            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
                             PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                             PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES};"
                        )
                        .as_str(),
                    )
                    .await?;
                }
                Ok(())
            })
        })
}

/// How often a serving instance checkpoints the SQLite WAL ([`Db::checkpoint_in_background`]).
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// WAL size (pages of 4 KiB) at which a commit checkpoints by itself: only reached when the
/// background checkpoint falls behind or is not running (SQLite's default is 1000).
const WAL_CHECKPOINT_PAGES: u32 = 10_000;

/// The application's database handle: cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    /// where [`Db::begin_write`] takes its connection: on SQLite one of its own, on PostgreSQL
    /// the shared pool
    write_pool: AnyPool,
    pub backend: Backend,
    /// SQLite has one writer at a time: write transactions queue here, in order, rather than
    /// in SQLite's busy handler, which polls with sleeps of up to 100 ms and so gave checkouts
    /// under load a tail of over a second.
    writer: Arc<Mutex<()>>,
    /// told what each committed write transaction changed (the shop front's read model)
    listener: Option<Arc<dyn CommitListener>>,
}

impl Db {
    /// Connects (creating the SQLite file and its folder if needed) without migrating.
    pub async fn connect(url: &str) -> Result<Db, String> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let readers = match backend {
            // SQLite has one writer anyway; a few readers beside it are enough
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = pool_options(backend, readers)
            .connect(&url)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", redact_url(&url)))?;
        let write_pool = match backend {
            // SQLite's one writer gets a connection of its own: taken from the shared pool, a
            // writer holding its turn queued for a connection behind every reader (in a 秒杀
            // rush, hundreds), and every writer behind it waited too
            Backend::Sqlite => pool_options(backend, 1)
                .connect(&url)
                .await
                .map_err(|e| format!("cannot connect to {}: {e}", redact_url(&url)))?,
            Backend::Postgres => pool.clone(),
        };
        Ok(Db {
            pool,
            write_pool,
            backend,
            writer: Arc::new(Mutex::new(())),
            listener: None,
        })
    }

    /// Closes the connections (a test's server going away); waits for those in use.
    pub async fn close(&self) {
        self.write_pool.close().await;
        self.pool.close().await;
    }

    /// On SQLite, copies the write-ahead log back into the database file every
    /// `CHECKPOINT_EVERY`, on a connection of its own, without blocking readers or the writer
    /// (a passive checkpoint). By default SQLite does this inside the commit that fills the log
    /// past 1000 pages, with two fsyncs, while that commit still holds the one write lock: under
    /// checkout load that put a checkpoint in every sixtieth checkout's turn and every writer
    /// behind it waited (measured: `checkout_phase_seconds{phase="commit"}`). Stops when the
    /// pool closes; does nothing on PostgreSQL.
    pub fn checkpoint_in_background(&self) {
        if self.backend != Backend::Sqlite {
            return;
        }
        let pool = self.pool.clone();
        tokio::spawn(async move {
            while !pool.is_closed() {
                tokio::time::sleep(CHECKPOINT_EVERY).await;
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&pool)
                    .await
                {
                    if !pool.is_closed() {
                        tracing::warn!("WAL checkpoint failed: {e}");
                    }
                }
            }
        });
    }

    /// Applies the migrations of this backend (idempotent).
    pub async fn migrate(&self) -> Result<(), String> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| format!("migration failed: {e}"))
    }

    /// A transaction that will write after reading (checkout, payment, timers). On SQLite it
    /// waits its turn among this process's writers, then takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a deferred one that read first would fail with SQLITE_BUSY when another
    /// writer committed in between, instead of waiting.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let (tx, turn) = match self.backend {
            Backend::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                (
                    self.write_pool.begin_with("BEGIN IMMEDIATE").await?,
                    Some(turn),
                )
            }
            Backend::Postgres => (self.pool.begin().await?, None),
        };
        Ok(WriteTx {
            tx,
            _turn: turn,
            changes: Changes::default(),
            listener: self.listener.clone().map(|l| (l, self.pool.clone())),
        })
    }

    /// A read-only transaction whose reads all see one moment (reports that add up figures
    /// from several tables, such as the reconciliation, while payments keep arriving): on
    /// PostgreSQL `REPEATABLE READ`, on SQLite a deferred transaction, whose first read fixes
    /// its snapshot of the WAL. Dropped, it ends.
    pub async fn begin_snapshot(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin().await,
            Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
            }
        }
    }

    /// This handle, telling `listener` what every write transaction begun from it (or from its
    /// clones) changed, once committed.
    pub fn with_listener(mut self, listener: Arc<dyn CommitListener>) -> Self {
        self.listener = Some(listener);
        self
    }

    /// Cheap liveness check of the database, for `/readyz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// A write transaction from [`Db::begin_write`]; used like the connection it runs on.
/// Dropped without `commit`, it rolls back. The repository functions that change what the shop
/// front shows record it here ([`Changes`]); on commit the [`CommitListener`] hears of it, so
/// no service has to remember to refresh the read model.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    /// released after the transaction ends (fields drop in order)
    _turn: Option<OwnedMutexGuard<()>>,
    changes: Changes,
    listener: Option<(Arc<dyn CommitListener>, AnyPool)>,
}

impl WriteTx {
    /// Commits, then tells the listener what changed: SKU stock while this writer still holds
    /// its turn (so two checkouts' figures arrive in commit order), reloads after releasing it
    /// (so other writers do not wait on them).
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let WriteTx {
            tx,
            _turn,
            changes,
            listener,
        } = self;
        tx.commit().await?;
        if let Some((listener, pool)) = listener {
            if !changes.stock.is_empty() {
                listener.stock_moved(&changes.stock);
            }
            drop(_turn);
            if changes.needs_reload() {
                listener.reload(&pool, &changes).await;
            }
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }

    /// Whether this transaction holds the database's only write lock (SQLite): no other
    /// transaction writes until it ends, so rows need no lock order among themselves.
    pub fn is_sole_writer(&self) -> bool {
        self._turn.is_some()
    }

    /// Where the repository functions record what this transaction changes.
    pub fn changes(&mut self) -> &mut Changes {
        &mut self.changes
    }
}

/// What a write transaction changed that the shop front shows, recorded by the repository
/// function that wrote it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// categories or a shop's status changed: everything is reloaded
    pub everything: bool,
    pub shops: BTreeSet<i64>,
    pub products: BTreeSet<i64>,
    /// (product, SKU) → the SKU's stock once this transaction commits
    pub stock: BTreeMap<(i64, i64), i64>,
    /// shops whose full-reductions changed
    pub promotions: BTreeSet<i64>,
}

impl Changes {
    pub fn product(&mut self, id: i64) {
        self.products.insert(id);
    }

    pub fn shop(&mut self, id: i64) {
        self.shops.insert(id);
    }

    pub fn promotions(&mut self, merchant_id: i64) {
        self.promotions.insert(merchant_id);
    }

    pub fn everything(&mut self) {
        self.everything = true;
    }

    pub fn stock(&mut self, product_id: i64, sku_id: i64, stock: i64) {
        self.stock.insert((product_id, sku_id), stock);
    }

    /// Forgets what was recorded: for a bulk load that reloads the whole shop front once when
    /// it is done, instead of product by product after each transaction.
    pub fn clear(&mut self) {
        *self = Changes::default();
    }

    fn needs_reload(&self) -> bool {
        self.everything
            || !self.shops.is_empty()
            || !self.products.is_empty()
            || !self.promotions.is_empty()
    }
}

/// Hears what each committed write transaction changed (the shop front's read model).
pub trait CommitListener: Send + Sync + std::fmt::Debug {
    /// New stock of SKUs, (product, SKU) → stock. Called inside the writer's turn: must not
    /// wait on anything.
    fn stock_moved(&self, stock: &BTreeMap<(i64, i64), i64>);

    /// Reloads what `changes` names from `pool`. The write has committed, so a reload that
    /// fails is logged, not returned.
    fn reload<'a>(
        &'a self,
        pool: &'a AnyPool,
        changes: &'a Changes,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// Makes sure the SQLite file's folder exists and the file is created on first use.
pub fn prepare_sqlite_url(url: &str) -> Result<String, String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err("SQLite needs a file path, e.g. sqlite://data/jishi.db".into());
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
    }
    let mut url = format!("sqlite://{rest}");
    if !rest.contains("mode=") {
        url.push_str(if rest.contains('?') { "&" } else { "?" });
        url.push_str("mode=rwc");
    }
    // Validate early with the driver's own parser for a clear message.
    sqlx::sqlite::SqliteConnectOptions::from_str(&url)
        .map_err(|e| format!("invalid SQLite URL: {e}"))?;
    Ok(url)
}

/// A URL without its password, safe for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or_default();
            format!("{}://{}:***{}", &url[..s], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_by_scheme() {
        assert_eq!(Backend::of_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::of_url("postgres://a@b/c").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::of_url("mysql://a@b/c").is_err());
    }

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
