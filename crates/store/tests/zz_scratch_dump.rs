use malkedja_domain::CascadeGoal;
use malkedja_store::demo;

fn dump(g: &CascadeGoal, depth: usize) {
    let pad = "  ".repeat(depth);
    println!("{pad}GOAL {:?} {:?} | {}", g.goal.level, g.goal.number, g.goal.title);
    for i in &g.indicators {
        println!("{pad}   IND {} [{}] target={:?} council={:?}", i.indicator.name, i.indicator.periodicity.label(), i.target.as_ref().map(|t| t.text().to_string()), i.indicator.council_target.as_ref().map(|t| t.text().to_string()));
    }
    for a in &g.activities {
        println!("{pad}   ACT {} {}..{}", a.title, a.start, a.end);
    }
    for c in &g.children {
        dump(c, depth + 1);
    }
}

#[tokio::test]
async fn dump_cascades() {
    let db = malkedja_store::testing::sqlite().await;
    let s = demo::load(&db.store, &|_| {}).await.unwrap().unwrap();
    for (u, name) in &s.units {
        for y in [2025, 2026] {
            println!("===== {name} {y}");
            let doc = db.store.plan_document(*u, y).await.unwrap().unwrap();
            for g in &doc.goals {
                dump(g, 0);
            }
        }
    }
}
