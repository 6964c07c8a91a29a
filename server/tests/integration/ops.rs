//! Operations endpoints, the 404 page, migrations and the demo seed.

use http::StatusCode;

backend_tests! {
    async fn health_readiness_and_metrics_answer(app: TestApp) {
        let c = app.client();
        assert_eq!(c.get("/healthz").await.text, "ok");
        let ready = c.get("/readyz").await;
        assert_eq!((ready.status, ready.text.as_str()), (StatusCode::OK, "ready"));
        c.get("/").await;
        let m = c.get("/metrics").await;
        assert_eq!(m.status, StatusCode::OK);
        assert!(m.text.contains("http_requests_total"), "{}", m.text);
        // latencies are a bucketed histogram (fixed size per route), not a growing sample list
        assert!(
            m.text.contains("http_request_duration_seconds_bucket{")
                && m.text.contains("le=\"0.005\""),
            "{}",
            m.text
        );
    }

    async fn unknown_pages_get_the_404_page(app: TestApp) {
        let r = app.client().get("/no/such/page").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.text.contains("页面不存在"));
    }

    async fn demo_seed_is_complete_and_idempotent(app: TestApp) {
        app.seed_demo().await;
        app.seed_demo().await;
        assert!(app.count("SELECT COUNT(*) FROM merchants").await >= 6);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM merchants m WHERE NOT EXISTS (SELECT 1 FROM merchant_staff s WHERE s.merchant_id = m.id AND s.role = 'owner')").await,
            0,
            "every merchant has an owner"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM admins").await, 4);
        assert!(app.count("SELECT COUNT(*) FROM categories WHERE level = 2").await >= 5);
        assert!(app.count("SELECT COUNT(*) FROM shoppers").await >= 3);
        // migrations run again without harm
        app.st.db.migrate().await.unwrap();
    }

    async fn shop_front_pages_render_before_any_script(app: TestApp) {
        app.seed_demo().await;
        let c = app.client();
        let home = c.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        for text in ["首页", "分类", "购物车", "我的", "都匀毛尖茶庄", "茶叶"] {
            assert!(home.text.contains(text), "home lacks {text}");
        }
        // every first-level category, the first one's children; another's by its link
        let cat = c.get("/category").await;
        for text in ["茶叶", "调味品", "水果生鲜", "绿茶", "普洱茶", "href=\"/category?c="] {
            assert!(cat.text.contains(text), "category page lacks {text}");
        }
        assert!(!cat.text.contains("辣椒酱"));
        let (seasoning,): (i64,) = sqlx::query_as("SELECT id FROM categories WHERE name = '调味品'")
            .fetch_one(&app.st.db.pool)
            .await
            .unwrap();
        let cat = c.get(&format!("/category?c={seasoning}")).await;
        assert!(cat.text.contains("辣椒酱"), "a category's children by its link");
        let me = c.get("/me").await;
        assert_eq!(me.status, StatusCode::OK);
        assert!(me.text.contains("登录"));
    }
}
