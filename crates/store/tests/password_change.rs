//! One-time passwords and the flag that makes the person choose their own
//! (`account.must_change_password`, migration 0006), on SQLite and PostgreSQL alike.

use malkedja_domain::AccountId;
use malkedja_store::sessions::{DEFAULT_ABSOLUTE, DEFAULT_IDLE};
use malkedja_store::{Store, StoreError, both_backends, password};
use time::OffsetDateTime;

async fn sign_in(store: &Store, id: AccountId) -> String {
    let mut w = store.begin_write("test").await.unwrap();
    let s = w
        .create_session(id, DEFAULT_IDLE, DEFAULT_ABSOLUTE)
        .await
        .unwrap();
    w.commit().await.unwrap();
    s.secret.as_str().to_string()
}

async fn flag_in_session(store: &Store, secret: &str) -> bool {
    store
        .session(secret, OffsetDateTime::now_utc())
        .await
        .unwrap()
        .expect("a valid session")
        .who
        .must_change_password
}

both_backends!(
    a_one_time_password_must_be_changed_and_the_persons_own_clears_it,
    |store: Store| async move {
        let given = password::hash(&password::generate()).await.unwrap();
        let chosen = password::hash("vind-och-våg-7").await.unwrap();
        let mut w = store.begin_write("admin@exempel.se").await.unwrap();
        let own = w
            .add_account("egen@exempel.se", "Egen", &chosen)
            .await
            .unwrap();
        let new = w
            .add_account_with_one_time_password("Ny@Exempel.se", "Ny Person", &given)
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert!(!own.must_change_password, "a chosen password stands");
        assert!(new.must_change_password);
        assert_eq!(new.email, "ny@exempel.se");
        assert_eq!(new.version, 1);
        let listed = store.accounts().await.unwrap();
        assert_eq!(
            listed
                .iter()
                .map(|a| (a.email.as_str(), a.must_change_password))
                .collect::<Vec<_>>(),
            [("egen@exempel.se", false), ("ny@exempel.se", true)]
        );
        assert_eq!(store.account(new.id).await.unwrap().unwrap(), new);
        assert_eq!(store.account(AccountId(9999)).await.unwrap(), None);

        // The session lookup (one query) and the token lookup carry the flag.
        let first = sign_in(&store, new.id).await;
        let second = sign_in(&store, new.id).await;
        assert!(flag_in_session(&store, &first).await);
        let own_session = sign_in(&store, own.id).await;
        assert!(!flag_in_session(&store, &own_session).await);
        let mut w = store.begin_write("ny@exempel.se").await.unwrap();
        let (_, token) = w.create_token(new.id, "Skript", None).await.unwrap();
        w.commit().await.unwrap();
        let info = store
            .token(token.as_str(), OffsetDateTime::now_utc())
            .await
            .unwrap()
            .unwrap();
        assert!(info.who.must_change_password);

        // The person chooses their own: the flag goes, the version moves on, and every
        // other session of theirs ends.
        let mine = password::hash("storm-och-sol-8").await.unwrap();
        let mut w = store.begin_write("ny@exempel.se").await.unwrap();
        let after = w.set_password_hash(new.id, &mine, 1).await.unwrap();
        assert_eq!(
            w.delete_other_sessions_of(new.id, &second).await.unwrap(),
            1
        );
        w.commit().await.unwrap();
        assert!(!after.must_change_password);
        assert_eq!(after.version, 2);
        assert!(!flag_in_session(&store, &second).await);
        let now = OffsetDateTime::now_utc();
        assert!(store.session(&first, now).await.unwrap().is_none());
        assert!(
            store.session(&own_session, now).await.unwrap().is_some(),
            "another account's sessions stay"
        );

        // A one-time password given again sets it, from the version it was made at only.
        let again = password::hash(&password::generate()).await.unwrap();
        let mut w = store.begin_write("admin@exempel.se").await.unwrap();
        let err = w
            .set_one_time_password(new.id, &again, 1)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
        drop(w);
        let mut w = store.begin_write("admin@exempel.se").await.unwrap();
        let reset = w.set_one_time_password(new.id, &again, 2).await.unwrap();
        w.commit().await.unwrap();
        assert!(reset.must_change_password);
        assert_eq!(reset.version, 3);
        assert!(flag_in_session(&store, &second).await);

        // Audited, with the flag before and after, never a hash.
        let events = store
            .audit_trail("account", &new.id.to_string())
            .await
            .unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "create",
                "sign_in",
                "sign_in",
                "set_password",
                "set_password"
            ]
        );
        let text = serde_json::to_string(
            &events
                .iter()
                .map(|e| (&e.actor, &e.before, &e.after))
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(text.contains("must_change_password"), "{text}");
        assert!(!text.contains("argon2"), "{text}");
        assert!(!text.contains("password_hash"), "{text}");
    }
);
