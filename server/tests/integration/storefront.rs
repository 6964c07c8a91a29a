//! What shoppers find: Chinese search with filters, sorts and pages, product and shop pages,
//! on the H5 server functions and the mini-program API alike.

use http::StatusCode;
use serde_json::Value;

fn titles(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect()
}

fn prices(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["min_price"].as_i64().unwrap())
        .collect()
}

backend_tests! {
    async fn chinese_words_find_the_right_products_first(app: TestApp) {
        app.seed_demo().await;
        let c = app.client();
        let chili = c.call("/api/shop/search", &[("q", "辣椒酱")]).await.json();
        let t = titles(&chili);
        assert!(t.len() >= 5, "{t:?}");
        let first_non_title = t.iter().position(|x| !x.contains("辣椒酱")).unwrap_or(t.len());
        assert!(t[..first_non_title].len() >= 2 && t[first_non_title..].iter().all(|x| !x.contains("辣椒酱")),
            "titles containing 辣椒酱 rank before products that only mention it elsewhere: {t:?}");
        let tea = titles(&c.call("/api/shop/search", &[("q", "毛尖")]).await.json());
        assert!(!tea.is_empty() && tea.iter().all(|x| x.contains("毛尖") || x.contains("茶")), "{tea:?}");
        // a query without spaces is cut into words, 云南 + 普洱: products from 普洱 (origin or shop)
        // match, and those with 普洱 in the title come first
        let yunnan_puer = titles(&c.call("/api/shop/search", &[("q", "云南普洱")]).await.json());
        let in_title = yunnan_puer.iter().filter(|x| x.contains("普洱")).count();
        assert!(in_title >= 5, "{yunnan_puer:?}");
        assert!(yunnan_puer[..in_title].iter().all(|x| x.contains("普洱")), "{yunnan_puer:?}");
        assert_eq!(c.call("/api/shop/search", &[("q", "笔记本电脑")]).await.json()["total"], 0);
    }

    async fn filters_sorts_and_pages_agree_with_each_other(app: TestApp) {
        app.seed_demo().await;
        let c = app.client();
        let all = c.call("/api/shop/search", &[("q", "")]).await.json();
        let total = all["total"].as_u64().unwrap();
        assert!(total >= 60, "demo shows at least 60 products, got {total}");
        assert_eq!(all["items"].as_array().unwrap().len(), 20);
        let page4 = c.call("/api/shop/search", &[("q", ""), ("page", "4")]).await.json();
        assert_eq!(page4["items"].as_array().unwrap().len() as u64, total - 60);
        let mut seen: Vec<String> = Vec::new();
        for page in ["1", "2", "3", "4"] {
            seen.extend(titles(&c.call("/api/shop/search", &[("q", ""), ("page", page)]).await.json()));
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len() as u64, total, "pages neither repeat nor skip");

        let cheap_first = prices(&c.call("/api/shop/search", &[("q", ""), ("sort", "price_asc")]).await.json());
        assert!(cheap_first.windows(2).all(|w| w[0] <= w[1]), "{cheap_first:?}");
        let dear_first = prices(&c.call("/api/shop/search", &[("q", "茶"), ("sort", "price_desc")]).await.json());
        assert!(dear_first.windows(2).all(|w| w[0] >= w[1]), "{dear_first:?}");
        let sales: Vec<i64> = c.call("/api/shop/search", &[("q", ""), ("sort", "sales")]).await.json()["items"]
            .as_array().unwrap().iter().map(|p| p["sales"].as_i64().unwrap()).collect();
        assert!(sales.windows(2).all(|w| w[0] >= w[1]), "{sales:?}");

        let ranged = c.call("/api/shop/search", &[("q", ""), ("min_price", "50"), ("max_price", "100")]).await.json();
        for p in ranged["items"].as_array().unwrap() {
            assert!(p["max_price"].as_i64().unwrap() >= 5000 && p["min_price"].as_i64().unwrap() <= 10000, "{p}");
        }
        let yunnan = c.call("/api/shop/search", &[("q", ""), ("region", "云南")]).await.json();
        assert!(yunnan["items"].as_array().unwrap().iter().all(|p| p["origin"].as_str().unwrap().starts_with("云南")));
        assert!(yunnan["regions"].as_array().unwrap().iter().any(|r| r == "贵州"));
        let (tea,): (i64,) = sqlx::query_as("SELECT id FROM categories WHERE name = '茶叶'").fetch_one(&app.st.db.pool).await.unwrap();
        let teas = c.call("/api/shop/search", &[("q", ""), ("category", &tea.to_string())]).await.json();
        assert!(teas["total"].as_u64().unwrap() >= 20, "a top category includes its children");
        let bad = c.call("/api/shop/search", &[("q", ""), ("min_price", "一百")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn the_mini_program_reads_the_same_catalogue(app: TestApp) {
        app.seed_demo().await;
        let c = app.client();
        let home = c.get("/api/mp/v1/home").await;
        assert_eq!(home.status, StatusCode::OK);
        let home = home.json();
        assert_eq!(home["code"], 0);
        assert_eq!(home["data"]["categories"].as_array().unwrap().len(), 5);
        let recommended = home["data"]["recommended"].as_array().unwrap();
        assert_eq!(recommended.len(), 20);
        let cats = c.get("/api/mp/v1/categories").await.json();
        assert_eq!(cats["data"][0]["name"], "茶叶");

        let list = c.get("/api/mp/v1/products?q=%E6%AF%9B%E5%B0%96&sort=price_asc").await.json();
        let h5 = c.call("/api/shop/search", &[("q", "毛尖"), ("sort", "price_asc")]).await.json();
        assert_eq!(list["data"], h5, "one read model for both clients");
        let first = &list["data"]["items"][0];
        assert!(first["skus"][0]["price"].as_i64().unwrap() > 0);
        assert!(first["skus"][0]["stock"].is_i64());
        let id = first["id"].as_i64().unwrap();
        let detail = c.get(&format!("/api/mp/v1/products/{id}")).await.json();
        assert_eq!(detail["data"]["id"], id);
        assert!(!detail["data"]["spec_dims"].as_array().unwrap().is_empty() || detail["data"]["skus"].as_array().unwrap().len() == 1);
        let shop_id = detail["data"]["shop"]["id"].as_i64().unwrap();
        let shop = c.get(&format!("/api/mp/v1/shops/{shop_id}")).await.json();
        assert_eq!(shop["data"]["shop"]["name"], detail["data"]["shop"]["name"]);
        assert!(!shop["data"]["featured"].as_array().unwrap().is_empty());

        let missing = c.get("/api/mp/v1/products/999999").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.json()["code"], 40400);
        let bad = c.get("/api/mp/v1/products?min_price=abc").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["code"], 42201);
        let bad = c.get("/api/mp/v1/products?page=-1").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);

        let doc = c.get("/api/mp/v1/openapi.json").await.json();
        for path in ["/home", "/categories", "/products", "/products/{id}", "/shops/{id}"] {
            assert!(doc["paths"][path]["get"].is_object(), "{path} documented");
        }
    }
}
