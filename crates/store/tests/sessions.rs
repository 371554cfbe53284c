//! Sessions, API tokens and the sign-in limit, on SQLite and PostgreSQL alike.

use malkedja_domain::{AccountId, Grant, NewNode, NodeId, OrgKind, Role, RoleGrant};
use malkedja_store::sessions::{DEFAULT_ABSOLUTE, DEFAULT_IDLE};
use malkedja_store::{Store, StoreError, both_backends, password, testing};
use std::time::Duration;
use time::OffsetDateTime;

const HOUR: Duration = Duration::from_secs(3600);

fn at(now: OffsetDateTime, d: Duration) -> OffsetDateTime {
    now + time::Duration::try_from(d).unwrap()
}

/// A city node and an account on it with the reader role.
async fn person(store: &Store, email: &str) -> (AccountId, NodeId) {
    let hash = password::hash("vind-och-våg-7").await.unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let city = w
        .create_node(NewNode {
            parent_id: None,
            kind: OrgKind::City,
            name: format!("Staden {email}"),
            position: 0,
        })
        .await
        .unwrap()
        .id;
    let a = w.add_account(email, "Anna", &hash).await.unwrap();
    w.grant_role(
        a.id,
        RoleGrant {
            role: Role::Reader,
            node_id: city,
        },
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    (a.id, city)
}

async fn sign_in(store: &Store, id: AccountId, idle: Duration, absolute: Duration) -> String {
    let mut w = store.begin_write("anna").await.unwrap();
    let s = w.create_session(id, idle, absolute).await.unwrap();
    w.commit().await.unwrap();
    s.secret.as_str().to_string()
}

async fn disable(store: &Store, id: AccountId) {
    let version = store
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.id == id)
        .unwrap()
        .version;
    let mut w = store.begin_write("admin").await.unwrap();
    w.disable_account(id, version).await.unwrap();
    w.commit().await.unwrap();
}

both_backends!(
    a_session_works_and_every_sign_in_gets_a_new_id,
    |store: Store| async move {
        let (id, city) = person(&store, "anna@exempel.se").await;
        let now = OffsetDateTime::now_utc();
        let mut w = store.begin_write("anna").await.unwrap();
        let first = w
            .create_session(id, DEFAULT_IDLE, DEFAULT_ABSOLUTE)
            .await
            .unwrap();
        let second = w
            .create_session(id, DEFAULT_IDLE, DEFAULT_ABSOLUTE)
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_ne!(first.secret, second.secret);
        assert_ne!(first.csrf_token, second.csrf_token);
        assert_eq!(first.secret.as_str().len(), 43);
        assert!(!format!("{:?}", first.secret).contains(first.secret.as_str()));

        let info = store
            .session(first.secret.as_str(), now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(info.who.account, id);
        assert_eq!(info.who.email, "anna@exempel.se");
        assert_eq!(
            info.who.grants,
            vec![Grant {
                role: Role::Reader,
                scope: city
            }]
        );
        assert_eq!(info.csrf_token, first.csrf_token);
        let info2 = store
            .session(second.secret.as_str(), now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(info2.csrf_token, second.csrf_token);

        // Unknown and malformed ids are no session, never an error.
        let mut other = first.secret.as_str().to_string();
        other.replace_range(0..1, if other.starts_with('A') { "B" } else { "A" });
        for bad in [
            other.as_str(),
            "",
            "x",
            &first.secret.as_str()[1..],
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        ] {
            assert_eq!(store.session(bad, now).await.unwrap(), None, "{bad:?}");
        }

        // The sign-in is recorded, without moving the account's version on.
        let a = store
            .account_by_email("anna@exempel.se")
            .await
            .unwrap()
            .unwrap();
        assert!(a.last_sign_in_at.is_some());
        assert_eq!(a.version, 1);
    }
);

both_backends!(
    a_session_expires_when_idle_and_when_old,
    |store: Store| async move {
        let (id, _) = person(&store, "anna@exempel.se").await;
        let now = OffsetDateTime::now_utc();
        // Idle: unused for longer than the idle timeout.
        let idle = sign_in(&store, id, HOUR, 3 * HOUR).await;
        assert!(
            store
                .session(&idle, at(now, HOUR / 2))
                .await
                .unwrap()
                .is_some()
        );
        // Used at 30 min, so still valid at 80 min…
        assert!(
            store
                .session(&idle, at(now, 80 * HOUR / 60))
                .await
                .unwrap()
                .is_some()
        );
        // …and gone 61 min after its last use.
        assert!(
            store
                .session(&idle, at(now, 142 * HOUR / 60))
                .await
                .unwrap()
                .is_none()
        );

        // Absolute: used every 50 minutes, still over after 3 hours.
        let busy = sign_in(&store, id, HOUR, 3 * HOUR).await;
        for minutes in [50, 100, 150] {
            let t = at(now, Duration::from_secs(minutes * 60));
            assert!(
                store.session(&busy, t).await.unwrap().is_some(),
                "{minutes}"
            );
        }
        assert!(
            store
                .session(&busy, at(now, 3 * HOUR + Duration::from_secs(60)))
                .await
                .unwrap()
                .is_none()
        );

        // Unused sessions: a minute past the idle timeout is too late.
        let quiet = sign_in(&store, id, HOUR, 3 * HOUR).await;
        assert!(
            store
                .session(&quiet, at(now, HOUR + Duration::from_secs(61)))
                .await
                .unwrap()
                .is_none()
        );
    }
);

both_backends!(
    signing_out_disabling_and_purging_end_sessions,
    |store: Store| async move {
        let (anna, _) = person(&store, "anna@exempel.se").await;
        let (bo, _) = person(&store, "bo@exempel.se").await;
        let now = OffsetDateTime::now_utc();

        // Sign-out.
        let s = sign_in(&store, anna, DEFAULT_IDLE, DEFAULT_ABSOLUTE).await;
        let mut w = store.begin_write("anna").await.unwrap();
        assert!(w.delete_session(&s).await.unwrap());
        assert!(!w.delete_session(&s).await.unwrap());
        assert!(!w.delete_session("nonsense").await.unwrap());
        w.commit().await.unwrap();
        assert!(store.session(&s, now).await.unwrap().is_none());

        // Disabling ends every session of the account, not anyone else's.
        let a1 = sign_in(&store, anna, DEFAULT_IDLE, DEFAULT_ABSOLUTE).await;
        let a2 = sign_in(&store, anna, DEFAULT_IDLE, DEFAULT_ABSOLUTE).await;
        let b = sign_in(&store, bo, DEFAULT_IDLE, DEFAULT_ABSOLUTE).await;
        disable(&store, anna).await;
        assert!(store.session(&a1, now).await.unwrap().is_none());
        assert!(store.session(&a2, now).await.unwrap().is_none());
        assert!(store.session(&b, now).await.unwrap().is_some());
        let mut w = store.begin_write("anna").await.unwrap();
        assert_eq!(
            w.delete_sessions_of(anna).await.unwrap(),
            0,
            "already ended"
        );
        assert!(
            w.create_session(anna, DEFAULT_IDLE, DEFAULT_ABSOLUTE)
                .await
                .unwrap_err()
                .is_not_found()
        );
        drop(w);

        // Purge: only what has expired.
        let short = sign_in(&store, bo, HOUR, 2 * HOUR).await;
        let mut w = store.begin_write("purge").await.unwrap();
        assert_eq!(w.purge_expired_sessions(now).await.unwrap(), 0);
        assert_eq!(
            w.purge_expired_sessions(at(now, HOUR + Duration::from_secs(120)))
                .await
                .unwrap(),
            1
        );
        w.commit().await.unwrap();
        assert!(store.session(&short, now).await.unwrap().is_none());
        assert!(store.session(&b, now).await.unwrap().is_some());

        let (actions, _) = trail(&store, "account", anna).await;
        for a in ["sign_in", "sign_out", "disable"] {
            assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
        }
    }
);

both_backends!(
    tokens_act_for_their_account_until_expired_revoked_or_disabled,
    |store: Store| async move {
        let (anna, city) = person(&store, "anna@exempel.se").await;
        let (bo, _) = person(&store, "bo@exempel.se").await;
        let now = OffsetDateTime::now_utc();
        let mut w = store.begin_write("anna").await.unwrap();
        let (t, secret) = w.create_token(anna, " rapporter ", None).await.unwrap();
        let (short, short_secret) = w.create_token(anna, "kort", Some(24 * HOUR)).await.unwrap();
        let (_, bo_secret) = w.create_token(bo, "bos", None).await.unwrap();
        assert!(matches!(
            w.create_token(anna, "  ", None).await,
            Err(StoreError::Placement(_))
        ));
        w.commit().await.unwrap();
        assert_eq!(t.name, "rapporter");
        assert!(secret.as_str().starts_with("mk_"));
        assert_eq!(secret.as_str().len(), 46);
        assert!(!format!("{secret:?}").contains(secret.as_str()));

        let info = store.token(secret.as_str(), now).await.unwrap().unwrap();
        assert_eq!(info.token_id, t.id);
        assert_eq!(info.who.account, anna);
        assert_eq!(
            info.who.grants,
            vec![Grant {
                role: Role::Reader,
                scope: city
            }]
        );
        let listed = store.tokens_of(anna).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert!(
            listed
                .iter()
                .any(|x| x.id == t.id && x.last_used_at.is_some())
        );
        assert_eq!(store.all_tokens().await.unwrap().len(), 3);

        // Expired.
        assert!(
            store
                .token(short_secret.as_str(), now)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .token(short_secret.as_str(), at(now, 25 * HOUR))
                .await
                .unwrap()
                .is_none()
        );
        let _ = short;

        // Malformed, forged or truncated.
        let s = secret.as_str();
        let forged = format!("mk_{}", if &s[3..4] == "A" { "B" } else { "A" }) + &s[4..];
        for bad in [
            "",
            "mk_",
            &s[3..],
            &s[..s.len() - 1],
            forged.as_str(),
            &format!("xx_{}", &s[3..]),
            &format!("{s}A"),
        ] {
            assert!(store.token(bad, now).await.unwrap().is_none(), "{bad:?}");
        }

        // Revoked: only by its owner, or from the command line.
        let mut w = store.begin_write("bo").await.unwrap();
        assert!(
            w.revoke_token(Some(bo), t.id)
                .await
                .unwrap_err()
                .is_not_found()
        );
        let revoked = w.revoke_token(Some(anna), t.id).await.unwrap();
        assert!(revoked.revoked_at.is_some());
        assert_eq!(w.revoke_token(None, t.id).await.unwrap(), revoked);
        assert!(w.revoke_token(None, 9999).await.unwrap_err().is_not_found());
        w.commit().await.unwrap();
        assert!(store.token(secret.as_str(), now).await.unwrap().is_none());

        // A disabled account's tokens act for nobody.
        assert!(
            store
                .token(bo_secret.as_str(), now)
                .await
                .unwrap()
                .is_some()
        );
        disable(&store, bo).await;
        assert!(
            store
                .token(bo_secret.as_str(), now)
                .await
                .unwrap()
                .is_none()
        );

        let (actions, _) = trail(&store, "api_token", AccountId(t.id)).await;
        assert_eq!(actions, ["create", "revoke"]);
    }
);

both_backends!(
    five_failures_block_the_account_and_the_address_for_a_while,
    |store: Store| async move {
        let (anna, _) = person(&store, "anna@exempel.se").await;
        let now = OffsetDateTime::now_utc();
        let fail = |email: &'static str, address: &'static str, t: OffsetDateTime| {
            let store = store.clone();
            async move {
                let mut w = store.begin_write("anonym").await.unwrap();
                w.record_failed_sign_in(email, address, t).await.unwrap();
                w.commit().await.unwrap();
            }
        };
        for i in 0..4 {
            fail(
                "Anna@Exempel.se",
                "10.0.0.1",
                at(now, Duration::from_secs(i * 10)),
            )
            .await;
        }
        let t = at(now, Duration::from_secs(60));
        assert_eq!(
            store
                .sign_in_blocked("anna@exempel.se", "10.0.0.9", t)
                .await
                .unwrap(),
            None
        );
        fail(
            "anna@exempel.se",
            "10.0.0.2",
            at(now, Duration::from_secs(40)),
        )
        .await;
        // Blocked until the first failure is 15 minutes old.
        let retry = store
            .sign_in_blocked(" ANNA@exempel.se", "10.0.0.9", t)
            .await
            .unwrap();
        assert_eq!(retry, Some(900 - 60));
        // Another account from another address is not affected; the address with four
        // failures is not blocked either.
        assert_eq!(
            store
                .sign_in_blocked("bo@exempel.se", "10.0.0.1", t)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .sign_in_blocked("bo@exempel.se", "10.0.0.3", t)
                .await
                .unwrap(),
            None
        );
        // After the window it is over.
        let later = at(now, Duration::from_secs(16 * 60));
        assert_eq!(
            store
                .sign_in_blocked("anna@exempel.se", "10.0.0.9", later)
                .await
                .unwrap(),
            None
        );

        // Five failures from one address, for unknown accounts, block that address.
        for (i, email) in ["a@x.se", "b@x.se", "c@x.se", "inte en adress", "e@x.se"]
            .into_iter()
            .enumerate()
        {
            fail(email, "10.0.0.7", at(now, Duration::from_secs(i as u64))).await;
        }
        assert!(
            store
                .sign_in_blocked("bo@exempel.se", "10.0.0.7", t)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            store
                .sign_in_blocked("bo@exempel.se", "10.0.0.8", t)
                .await
                .unwrap(),
            None
        );

        // A successful sign-in clears the account's count.
        sign_in(&store, anna, DEFAULT_IDLE, DEFAULT_ABSOLUTE).await;
        assert_eq!(
            store
                .sign_in_blocked("anna@exempel.se", "10.0.0.9", t)
                .await
                .unwrap(),
            None
        );

        let (actions, text) = trail(&store, "account", anna).await;
        assert_eq!(actions.iter().filter(|a| *a == "sign_in_failed").count(), 5);
        assert!(text.contains("10.0.0.2"), "{text}");
        let (unknown, _) = trail(&store, "sign_in", "a@x.se").await;
        assert_eq!(unknown, ["sign_in_failed"]);
    }
);

both_backends!(the_audit_trail_holds_no_secret, |store: Store| async move {
    let (anna, _) = person(&store, "anna@exempel.se").await;
    let mut w = store.begin_write("anna").await.unwrap();
    let session = w
        .create_session(anna, DEFAULT_IDLE, DEFAULT_ABSOLUTE)
        .await
        .unwrap();
    let (token, secret) = w.create_token(anna, "nyckel", None).await.unwrap();
    w.record_failed_sign_in("anna@exempel.se", "10.0.0.1", OffsetDateTime::now_utc())
        .await
        .unwrap();
    w.revoke_token(None, token.id).await.unwrap();
    assert!(w.delete_session(session.secret.as_str()).await.unwrap());
    w.commit().await.unwrap();
    let (_, account) = trail(&store, "account", anna).await;
    let (_, tokens) = trail(&store, "api_token", AccountId(token.id)).await;
    let hash = store.password_hash_of(anna).await.unwrap().unwrap();
    for text in [account, tokens] {
        for secret in [
            session.secret.as_str(),
            &session.csrf_token,
            secret.as_str(),
            &secret.as_str()[3..],
            &hash,
            "vind-och-våg-7",
        ] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(!text.contains("hash"), "{text}");
    }
});

/// Every audit event of an entity: the actions, and everything as JSON text.
async fn trail(store: &Store, entity: &str, id: impl ToString) -> (Vec<String>, String) {
    let events = store.audit_trail(entity, &id.to_string()).await.unwrap();
    let actions = events.iter().map(|e| e.action.clone()).collect();
    let text = serde_json::to_string(
        &events
            .iter()
            .map(|e| (&e.action, &e.entity_id, &e.before, &e.after))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    (actions, text)
}

/// Two "nodes" (two Store handles, two pools) on one database: a session made through one
/// works through the other, and a sign-out through either ends it for both.
async fn two_nodes_share_sessions(db: testing::TestDb) {
    let one = db.store.clone();
    let two = Store::open(&db.url).await.unwrap();
    let (anna, _) = person(&one, "anna@exempel.se").await;
    let now = OffsetDateTime::now_utc();
    let s = sign_in(&one, anna, DEFAULT_IDLE, DEFAULT_ABSOLUTE).await;
    assert!(two.session(&s, now).await.unwrap().is_some());
    assert!(one.session(&s, now).await.unwrap().is_some());
    let mut w = two.begin_write("anna").await.unwrap();
    assert!(w.delete_session(&s).await.unwrap());
    w.commit().await.unwrap();
    assert!(one.session(&s, now).await.unwrap().is_none());
    assert!(two.session(&s, now).await.unwrap().is_none());

    // A disabled account, and the failure count, are shared too.
    let s = sign_in(&two, anna, DEFAULT_IDLE, DEFAULT_ABSOLUTE).await;
    for i in 0..5 {
        let node = if i % 2 == 0 { &one } else { &two };
        let mut w = node.begin_write("anonym").await.unwrap();
        w.record_failed_sign_in("anna@exempel.se", "10.1.1.1", now)
            .await
            .unwrap();
        w.commit().await.unwrap();
    }
    assert!(
        one.sign_in_blocked("anna@exempel.se", "x", now)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        two.sign_in_blocked("anna@exempel.se", "x", now)
            .await
            .unwrap()
            .is_some()
    );
    disable(&one, anna).await;
    assert!(two.session(&s, now).await.unwrap().is_none());
    two.close().await;
    db.finish().await;
}

#[tokio::test]
async fn two_nodes_share_sessions_on_sqlite() {
    two_nodes_share_sessions(testing::sqlite().await).await;
}

#[tokio::test]
async fn two_nodes_share_sessions_on_postgres() {
    if let Some(db) = testing::postgres().await {
        two_nodes_share_sessions(db).await;
    }
}
