"""The talk's pipelines as shipped in pipelines/, run against real servers: ratings-demo.yaml (generator ratings
joined to customers captured from MariaDB by mysql_cdc, to the Elasticsearch stand-in and a webhook receiver),
mysql-to-postgres.yaml (MariaDB's customers kept equal in PostgreSQL) and http-to-kafka.yaml (events posted with
ack: delivered into a mock Kafka topic). Each pipeline's pipe test file passes too."""
import collections
import json
import os
import signal
import threading
import urllib.error
import urllib.request

import databases
from elasticsearch_standin import Standin
from harness import ROOT, free_port, run_pipe, start_pipe, tmpdir, wait_until, write
from kafka import MockKafka, consume
from webhook_receiver import WebhookReceiver

STATUSES = ["platinum", "gold", "silver", "bronze"]


def _pipeline(d, name, **replace):
    """The shipped pipeline, with its relative file paths (dead letters) moved into the test's folder."""
    text = open(os.path.join(ROOT, "pipelines", name)).read()
    for old, new in replace.items():
        text = text.replace(old, new)
    return write(f"{d}/{name}", text)


def _stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, f"pipe exited {proc.returncode}:\n{err}"
    return err


def _mariadb_database(name):
    db = databases.mariadb()
    db.sql(f"DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name}")
    return db, db.url.rsplit("/", 1)[0] + "/" + name


def _customer(i):
    # Quotes, a backslash and non-ASCII in names: the alert's JSON body must stay valid and exact.
    first = ["Ann", "Bo \"The Hammer\"", "Zoë", "Dan\\Dee"][i % 4]
    return (i, first, f"Lee-{i}", f"c{i}@example.com", STATUSES[(i * 7) % 4])


def test_pipe_test_files_of_the_talk_pipelines_pass():
    for name in ("ratings-demo.test.yaml",):
        p = run_pipe(["test", os.path.join(ROOT, "pipelines", name)], timeout=60)
        assert p.returncode == 0, p.stdout + p.stderr


def test_ratings_demo_indexes_every_rating_and_alerts_exactly_the_unhappy_platinum_customers():
    db, url = _mariadb_database("talk_ratings")
    customers = [_customer(i) for i in range(1, 41)]
    rows = ", ".join("(%d, '%s', '%s', '%s', '%s')" % (i, f.replace("\\", "\\\\").replace("'", "''"), l, e, s)
                     for i, f, l, e, s in customers)
    db.sql("CREATE TABLE customers (id INT PRIMARY KEY, first_name VARCHAR(40), last_name VARCHAR(40),"
           f" email VARCHAR(80), club_status VARCHAR(20)); INSERT INTO customers VALUES {rows}", "talk_ratings")
    by_id = {c[0]: c for c in customers}
    d, count = tmpdir(), 150
    path = _pipeline(d, "ratings-demo.yaml", **{"ratings-demo.dlq.jsonl": f"{d}/alerts.dlq.jsonl",
                                                "rate: 2 ": f"rate: 75\n    count: {count}\n   "})
    receiver = WebhookReceiver().start()
    with Standin("es8") as es:
        env = {**os.environ, "MYSQL_URL": url, "ES_URL": es.url, "SLACK_WEBHOOK_URL": receiver.url()}
        proc = start_pipe(["run", path, "--state-dir", f"{d}/state", "--no-watch"], env=env)
        try:
            wait_until(lambda: proc.poll() is None and len(es.docs("ratings-enriched")) == count, timeout=60,
                       what=f"{count} enriched ratings in the stand-in")
            docs = es.docs("ratings-enriched")
            joined = {int(i): doc for i, doc in docs.items() if doc["club_status"] is not None}
            # Given the customers table: the ratings that found their customer, below 3 stars, of a platinum one.
            expected = sorted(i for i, doc in joined.items()
                              if doc["stars"] < 3 and by_id[doc["user_id"]][4] == "platinum")
            wait_until(lambda: len(receiver.delivered()) >= len(expected), timeout=30, what="the alerts")
            _stop(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            receiver.stop()
    assert sorted(int(i) for i in docs) == list(range(1, count + 1))
    for rating_id, doc in docs.items():
        assert doc["rating_id"] == int(rating_id) and 1 <= doc["stars"] <= 5, doc
        if doc["club_status"] is not None:
            _, first, last, email, status = by_id[doc["user_id"]]
            assert (doc["first_name"], doc["last_name"], doc["email"], doc["club_status"]) == (first, last, email,
                                                                                               status), doc
    # Ratings made before mysql_cdc's snapshot reached the join find no customer (a LEFT JOIN keeps them with
    # nulls, as ksqlDB does); the snapshot takes well under a second (75 ratings), every later rating finds its
    # customer.
    unjoined = sorted(int(i) for i in docs if int(i) not in joined)
    assert not unjoined or max(unjoined) < 75, unjoined
    alerts = [json.loads(r["body"])["text"] for r in receiver.delivered()]
    want = []
    for rating_id in expected:
        doc = docs[str(rating_id)]
        want.append(f"Unhappy platinum customer {doc['first_name']} {doc['last_name']} <{doc['email']}> gave "
                    f"{doc['stars']} stars: {doc['message']}")
    assert alerts == want, (alerts, want)  # in rating order, each once
    assert expected, "150 ratings of 40 customers hold no unhappy platinum one: the check proves nothing"
    print(f"    {count} documents ({len(unjoined)} before the snapshot), {len(alerts)} alerts")


def _mariadb_customers(db, database):
    return db.sql("SELECT id, name, COALESCE(email, 'null'), balance, club_status,"
                  " COALESCE(DATE_FORMAT(updated, '%Y-%m-%d %H:%i:%s.%f'), 'null') FROM customers ORDER BY id",
                  database)


def _postgres_customers(pg, database):
    return pg.sql("SELECT id, name, COALESCE(email, 'null'), balance, club_status,"
                  " COALESCE(to_char(updated, 'YYYY-MM-DD HH24:MI:SS.US'), 'null') FROM customers ORDER BY id",
                  database)


def test_mysql_to_postgres_keeps_the_postgres_table_equal_to_the_mariadb_one():
    db, url = _mariadb_database("talk_shop")
    pg = databases.postgres()
    warehouse = f"talk_warehouse_{os.getpid()}"
    pg.sql(f"DROP DATABASE IF EXISTS {warehouse}", "postgres")
    pg.sql(f"CREATE DATABASE {warehouse}", "postgres")
    columns = "(id INT PRIMARY KEY, name VARCHAR(60), email VARCHAR(80), balance DECIMAL(12,2), club_status VARCHAR(20)"
    db.sql(f"CREATE TABLE customers {columns}, updated DATETIME(6));"
           "INSERT INTO customers SELECT seq, CONCAT('Zoë \"', seq, '\" O''Neil'), CONCAT('c', seq, '@example.com'),"
           " seq * 1.25, ELT(1 + seq % 4, 'platinum', 'gold', 'silver', 'bronze'), '2026-12-05 07:00:00.5'"
           " FROM seq_1_to_300", "talk_shop")
    # Created ahead for exact types (auto_create would make `updated`, a string in the row envelope, text).
    pg.sql(f"CREATE TABLE customers {columns.replace('DECIMAL', 'numeric')}, updated timestamp(6))", warehouse)
    d = tmpdir()
    path = _pipeline(d, "mysql-to-postgres.yaml")
    env = {**os.environ, "MYSQL_URL": url, "PG_URL": pg.url_for(warehouse)}
    args = ["run", path, "--state-dir", f"{d}/state", "--no-watch"]

    def run_until_equal(what):
        proc = start_pipe(args, env=env)
        try:
            wait_until(lambda: proc.poll() is None and
                       _postgres_customers(pg, warehouse) == _mariadb_customers(db, "talk_shop"), timeout=60, what=what)
            _stop(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    try:
        proc = start_pipe(args, env=env)
        try:
            wait_until(lambda: proc.poll() is None and pg.value("SELECT count(*) FROM customers", warehouse) == "300",
                       timeout=60, what="the snapshot copied")
            db.sql("INSERT INTO customers VALUES (301, 'New', NULL, 0, 'gold', NOW(6)),"
                   " (302, 'Newer', 'n@x', 1, 'silver', NULL);"
                   "UPDATE customers SET club_status = 'platinum', balance = balance + 100 WHERE id % 7 = 0;"
                   "DELETE FROM customers WHERE id % 10 = 3;"
                   "BEGIN; UPDATE customers SET id = 1000 WHERE id = 1; DELETE FROM customers WHERE id = 2;"
                   " INSERT INTO customers VALUES (2, 'Back again', 'b@x', 2.5, 'bronze', '2026-01-01'); COMMIT;"
                   "UPDATE customers SET email = NULL, updated = NULL WHERE id = 5", "talk_shop")
            wait_until(lambda: proc.poll() is None and
                       _postgres_customers(pg, warehouse) == _mariadb_customers(db, "talk_shop"), timeout=60,
                       what="the changes copied")
            _stop(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        # Changes while pipe is down are read from the binlog at the next start.
        db.sql("DELETE FROM customers WHERE id BETWEEN 100 AND 149;"
               "UPDATE customers SET name = 'Renamed' WHERE id > 250", "talk_shop")
        run_until_equal("the changes made while pipe was down")
        rows = _mariadb_customers(db, "talk_shop")
        assert rows == _postgres_customers(pg, warehouse) and len(rows) == 302 - 30 - 45, len(rows)
    finally:
        pg.sql(f"DROP DATABASE IF EXISTS {warehouse} WITH (FORCE)", "postgres")
    print(f"    {len(rows)} rows, MariaDB and PostgreSQL equal after a snapshot, changes and a restart")


def _post(url, body):
    """The answer's status; 0 when nothing answered (pipe killed or not listening yet)."""
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/x-ndjson"})
    try:
        with urllib.request.urlopen(request, timeout=35) as answer:
            return answer.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


def test_http_to_kafka_every_event_answered_200_is_in_the_topic_after_a_sigkill():
    d, port = tmpdir(), free_port()
    url = f"http://127.0.0.1:{port}/events"
    path = _pipeline(d, "http-to-kafka.yaml")
    with MockKafka(topics={"events": 3}) as kafka:
        env = {**os.environ, "HTTP_ADDRESS": f"127.0.0.1:{port}", "KAFKA_BOOTSTRAP": kafka.bootstrap}
        args = ["run", path, "--state-dir", f"{d}/state", "--no-watch"]
        answered, statuses, stop = [], [], threading.Event()

        def sender(first):
            n = first
            while not stop.is_set():
                batch = list(range(n, n + 20))
                status = _post(url, b"".join(json.dumps({"n": i, "text": "é \"q\""}).encode() + b"\n" for i in batch))
                statuses.append(status)
                if status == 200:
                    answered.extend(batch)
                n += 20

        def start():
            proc = start_pipe(args, env=env)
            def listening():
                assert proc.poll() is None, proc.communicate()[1]
                return _post(url, b"") != 0
            wait_until(listening, timeout=20, what="the http source")
            return proc

        proc = start()
        senders = [threading.Thread(target=sender, args=(k * 1_000_000,)) for k in range(3)]
        try:
            for t in senders:
                t.start()
            wait_until(lambda: len(answered) >= 600, timeout=30, what="600 events answered 200")
            proc.kill()  # SIGKILL while the senders post: what was answered 200 must be in Kafka already
            proc.wait()
            stop.set()
            for t in senders:
                t.join()
            before_kill = list(answered)
            proc = start()
            assert _post(url, b'{"n": -1}\n{"n": -2') == 400  # malformed: nothing of it is taken
            assert _post(url, b'{"n": -3}\n') == 200
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=30)
            assert proc.returncode == 0, err
        finally:
            stop.set()
            for t in senders:
                if t.is_alive():
                    t.join()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        events = [json.loads(v) for v in consume(kafka.bootstrap, "events")]
    in_topic = {e["n"] for e in events}
    missing = sorted(set(before_kill) - in_topic)
    assert not missing, f"{len(missing)} events answered 200 are not in the topic, e.g. {missing[:5]}"
    assert -3 in in_topic and -1 not in in_topic and all(e.get("text", "é \"q\"") == "é \"q\"" for e in events)
    print(f"    {len(before_kill)} events answered 200 before the SIGKILL, all in the topic "
          f"({len(events)} messages, answers {dict(collections.Counter(statuses))})")
