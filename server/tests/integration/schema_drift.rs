//! The SQLite and PostgreSQL migrations describe one schema: the same tables, the same columns,
//! the same kinds of value and the same NOT NULLs. A migration written for one database and
//! forgotten (or written differently) for the other fails here, not in production.

use std::collections::BTreeMap;

use crate::common::TestApp;
use app::infra::db::Backend;

/// table → column → (kind of value, nullable)
type Schema = BTreeMap<String, BTreeMap<String, (String, bool)>>;

/// The kind of value a declared type holds, in words both databases share.
fn kind(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    let k = if t.contains("int") || t == "serial" || t == "bigserial" {
        "integer"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("bytea") || t.contains("blob") {
        "bytes"
    } else if t.contains("real") || t.contains("double") || t.contains("float") {
        "float"
    } else if t.contains("numeric") || t.contains("decimal") {
        "decimal"
    } else {
        return t;
    };
    k.to_string()
}

/// Tables that belong to the tools, not to Jishi's migrations (the session store keeps its
/// table in SQLite's main schema but in a schema of its own in PostgreSQL).
fn ours(table: &str) -> bool {
    !table.starts_with("_sqlx") && !table.starts_with("sqlite_") && table != "tower_sessions"
}

async fn sqlite_schema(app: &TestApp) -> Schema {
    let pool = &app.st.db.pool;
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(pool)
            .await
            .unwrap();
    let mut schema = Schema::new();
    for (table,) in tables.into_iter().filter(|t| ours(&t.0)) {
        let cols: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap();
        let cols = cols
            .into_iter()
            // an INTEGER PRIMARY KEY is the rowid: never null, whatever it declares
            .map(|(name, ty, notnull, pk)| (name, (kind(&ty), notnull == 0 && pk == 0)))
            .collect();
        schema.insert(table, cols);
    }
    schema
}

async fn postgres_schema(app: &TestApp) -> Schema {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public' \
         ORDER BY table_name, ordinal_position",
    )
    .fetch_all(&app.st.db.pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (table, column, ty, nullable) in rows.into_iter().filter(|r| ours(&r.0)) {
        schema
            .entry(table)
            .or_default()
            .insert(column, (kind(&ty), nullable == "YES"));
    }
    schema
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_schemas_are_the_same() {
    let sqlite = sqlite_schema(&TestApp::spawn(Backend::Sqlite).await).await;
    let postgres = postgres_schema(&TestApp::spawn(Backend::Postgres).await).await;
    assert!(sqlite.len() > 20, "the migrations ran: {:?}", sqlite.keys());
    let tables = |s: &Schema| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(tables(&sqlite), tables(&postgres), "the same tables");
    for (table, columns) in &sqlite {
        let pg = &postgres[table];
        let names = |c: &BTreeMap<String, (String, bool)>| c.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(columns), names(pg), "the columns of {table}");
        for (column, (kind, nullable)) in columns {
            let (pg_kind, pg_nullable) = &pg[column];
            assert_eq!(kind, pg_kind, "the kind of {table}.{column}");
            assert_eq!(
                nullable, pg_nullable,
                "whether {table}.{column} may be null"
            );
        }
    }
}
