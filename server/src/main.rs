//! `jishi`: the Jishi server and its maintenance commands.

use app::domain::account::AdminRole;
use app::infra::config::Config;
use app::seed::demo;
use app::services::accounts;
use clap::{Parser, Subcommand};
use server::startup::{build_state, open_database};

mod memory;

#[derive(Parser)]
#[command(name = "jishi", about = "集市 Jishi multi-merchant mall")]
struct Cli {
    /// Configuration file (default: $JISHI_CONFIG or ./jishi.toml when present).
    #[arg(long, global = true)]
    config: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve HTTP (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Create a platform admin account.
    CreateAdmin {
        #[arg(long)]
        username: String,
        /// Read from $JISHI_ADMIN_PASSWORD when omitted (keeps it out of the process list).
        #[arg(long)]
        password: Option<String>,
        /// super | operator | finance | reviewer
        #[arg(long, default_value = "super")]
        role: String,
        #[arg(long, default_value = "管理员")]
        name: String,
    },
    /// Seed the demo marketplace (idempotent) and print the demo logins.
    SeedDemo {
        /// Also the demo shoppers' first orders, received and reviewed (the run command's demo;
        /// tests start without them)
        #[arg(long)]
        orders: bool,
        /// Also this many days of marketplace life before today (shoppers, orders, refunds,
        /// reviews, settlements), lived through the services; the run command's demo uses 90
        #[arg(long, value_name = "DAYS")]
        history_days: Option<i64>,
    },
    /// Recompute the dashboards' daily figures of every day up to yesterday from the orders,
    /// refunds, sign-ups and the ledger (after a restore, or to check the stored ones).
    RebuildStats,
    /// Load-test data: generated shops and products (run after seed-demo, which makes the
    /// categories). See bench/README.md.
    SeedBench {
        #[arg(long, default_value_t = 10)]
        merchants: usize,
        #[arg(long, default_value_t = 1000)]
        products: usize,
    },
    /// Scale-test history for the dashboards (run after seed-bench, whose products it sells):
    /// shoppers signing up and paid orders spread over the last days, with refunds and
    /// reviews. See bench/README.md.
    SeedOrders {
        #[arg(long, default_value_t = 1_000_000)]
        orders: i64,
        #[arg(long, default_value_t = 100_000)]
        shoppers: i64,
        #[arg(long, default_value_t = 365)]
        days: i64,
    },
    /// Load-test baseline: a bare axum server answering every GET with a fixed body.
    BenchStatic {
        #[arg(long, default_value = "127.0.0.1:3999")]
        listen: String,
    },
}

fn main() {
    memory::disable_transparent_huge_pages();
    memory::purge_freed_memory_at_once();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .on_thread_park(memory::release_free_memory_when_idle)
        .build()
        .unwrap_or_else(|e| fail(&format!("cannot start the async runtime: {e}")));
    runtime.block_on(start());
}

async fn start() {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => fail(&e),
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.log)),
        )
        .init();
    if let Err(e) = run(cli.command.unwrap_or(Command::Serve), config).await {
        fail(&e);
    }
}

async fn run(command: Command, config: Config) -> Result<(), String> {
    match command {
        Command::Migrate => {
            open_database(&config).await?;
            println!("数据库已迁移到最新版本");
        }
        Command::CreateAdmin {
            username,
            password,
            role,
            name,
        } => {
            let role = AdminRole::parse(&role)
                .ok_or("role must be one of super, operator, finance, reviewer")?;
            let password = password
                .or_else(|| std::env::var("JISHI_ADMIN_PASSWORD").ok())
                .ok_or("give --password or set JISHI_ADMIN_PASSWORD")?;
            let st = build_state(config).await?;
            let id = accounts::create_admin(&st, &username, &name, &password, role)
                .await
                .map_err(|e| e.to_string())?;
            println!("已创建管理员 {username}（{}，id {id}）", role.label());
        }
        Command::SeedDemo {
            orders,
            history_days,
        } => {
            let st = build_state(config).await?;
            let logins = demo::seed(&st).await.map_err(|e| e.to_string())?;
            if let Some(days) = history_days {
                let bar = indicatif::ProgressBar::new(days as u64 + 1).with_style(
                    indicatif::ProgressStyle::with_template(
                        "生成历史数据 {bar:40} {pos}/{len} 天 {elapsed}",
                    )
                    .map_err(|e| e.to_string())?,
                );
                let made =
                    app::seed::demo_history::seed(&st, days, &|done, _| bar.set_position(done))
                        .await
                        .map_err(|e| e.to_string())?;
                bar.finish_and_clear();
                if made.trades > 0 {
                    println!(
                        "历史数据已生成：{} 位买家，{} 笔交易，{} 次退款，{} 条评价",
                        made.shoppers, made.trades, made.refunds, made.reviews
                    );
                }
            }
            if orders {
                demo::seed_orders(&st).await.map_err(|e| e.to_string())?;
            }
            app::seed::demo_flash_sales::seed(&st)
                .await
                .map_err(|e| e.to_string())?;
            app::seed::demo_group_buys::seed(&st)
                .await
                .map_err(|e| e.to_string())?;
            app::seed::demo_presales::seed(&st)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "演示数据已就绪。演示账号（密码均为 {}）：",
                demo::DEMO_PASSWORD
            );
            for l in logins {
                println!("  {:<28} {:<16} {}", l.realm, l.login, l.who);
            }
        }
        Command::RebuildStats => {
            let st = build_state(config).await?;
            let days = app::services::dashboards::rebuild(&st)
                .await
                .map_err(|e| e.to_string())?;
            println!("看板数据已重建：{days} 天");
        }
        Command::SeedBench {
            merchants,
            products,
        } => {
            let st = build_state(config).await?;
            let (m, p) = app::seed::bench::seed(&st, merchants, products)
                .await
                .map_err(|e| e.to_string())?;
            println!("压测数据已生成：{m} 家店铺，{p} 个商品（每个3个SKU）");
        }
        Command::SeedOrders {
            orders,
            shoppers,
            days,
        } => {
            let st = build_state(config).await?;
            let bar = indicatif::ProgressBar::new(orders.max(0) as u64);
            let w = app::seed::bench_orders::seed(&st, orders, shoppers, days, |n| {
                bar.set_position(n as u64)
            })
            .await
            .map_err(|e| e.to_string())?;
            bar.finish_and_clear();
            println!(
                "压测订单已生成：{} 位买家，{} 笔订单，{} 笔退款，{} 条评价",
                w.shoppers, w.orders, w.refunds, w.reviews
            );
        }
        Command::BenchStatic { listen } => {
            let app = axum::Router::new()
                .route("/", axum::routing::get(|| async { "集市 static baseline" }));
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            axum::serve(listener, app)
                .await
                .map_err(|e| format!("server error: {e}"))?;
        }
        Command::Serve => serve(config).await?,
    }
    Ok(())
}

async fn serve(config: Config) -> Result<(), String> {
    let st = build_state(config).await?;
    memory::release_free_memory();
    app::services::jobs::start(&st);
    let addr = st.leptos_options.site_addr;
    let per_address = st.config.connections_per_address;
    let app = server::http::router(st).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("listening on http://{addr}");
    println!("集市已启动: http://{addr}/  （商家后台 /merchant，平台后台 /admin）");
    server::listen::serve(listener, app, per_address, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}

fn fail(msg: &str) -> ! {
    eprintln!("jishi: {msg}");
    std::process::exit(1);
}
