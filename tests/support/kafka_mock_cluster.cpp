/* kafka_mock_cluster (plain C style, built as C++ because the project declares only cpp): a librdkafka mock Kafka cluster in its own process, for tests and benchmarks.
 *
 *   kafka_mock_cluster [--brokers N] [--topic NAME:PARTITIONS]...
 *
 * Creates the cluster (brokers listen on 127.0.0.1, random ports), pre-creates each topic with a known partition
 * count (the mock would otherwise auto-create topics with 4 partitions on first metadata request), prints
 * `BOOTSTRAP=host:port,...` as one flushed line on stdout and runs until SIGTERM or SIGINT. Nothing persists:
 * tests restart `pipe`, never this helper. See /work/shared/testing/kafka-mock.md for the mock's limits.
 *
 * Faults, one command per line on stdin, each answered by one line on stdout ("ok" or "error: ..."):
 *   down BROKER | up BROKER               a broker refuses connections / takes them again (no leader change)
 *   leader TOPIC PARTITION BROKER         moves a partition's leadership
 *   errors APIKEY ERRCODE COUNT           the next COUNT requests of that API (0 Produce, 1 Fetch) fail with ERRCODE
 *   rtt BROKER MS                         delays a broker's responses
 * End of input (stdin is /dev/null, or the test closed it) only ends the commands. */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

/* Runs one fault command (see the top of the file) and answers it. */
static void run_command(rd_kafka_mock_cluster_t *cluster, char *line) {
  char topic[256];
  int a = 0, b = 0, c = 0;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (sscanf(line, "down %d", &a) == 1) {
    err = rd_kafka_mock_broker_set_down(cluster, a);
  } else if (sscanf(line, "up %d", &a) == 1) {
    err = rd_kafka_mock_broker_set_up(cluster, a);
  } else if (sscanf(line, "leader %255s %d %d", topic, &a, &b) == 3) {
    err = rd_kafka_mock_partition_set_leader(cluster, topic, a, b);
  } else if (sscanf(line, "errors %d %d %d", &a, &b, &c) == 3 && c >= 0) {
    size_t count = static_cast<size_t>(c);
    rd_kafka_resp_err_t *errors = static_cast<rd_kafka_resp_err_t *>(calloc(count + 1, sizeof(*errors)));
    for (size_t i = 0; i < count; i++) errors[i] = static_cast<rd_kafka_resp_err_t>(b);
    rd_kafka_mock_push_request_errors_array(cluster, static_cast<int16_t>(a), count, errors);
    free(errors);
  } else if (sscanf(line, "rtt %d %d", &a, &b) == 2) {
    err = rd_kafka_mock_broker_set_rtt(cluster, a, b);
  } else {
    printf("error: unknown command: %s\n", line);
    fflush(stdout);
    return;
  }
  if (err) printf("error: %s\n", rd_kafka_err2str(err));
  else printf("ok\n");
  fflush(stdout);
}

static void usage(void) {
  fprintf(stderr, "usage: kafka_mock_cluster [--brokers N] [--topic NAME:PARTITIONS]...\n");
  exit(2);
}

int main(int argc, char **argv) {
  int brokers = 1;
  /* Topics are created after the cluster exists, so remember them first. */
  const char **topics = static_cast<const char **>(calloc(static_cast<size_t>(argc), sizeof(char *)));
  int topic_count = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc) {
      brokers = atoi(argv[++i]);
      if (brokers < 1) usage();
    } else if (strcmp(argv[i], "--topic") == 0 && i + 1 < argc) {
      topics[topic_count++] = argv[++i];
    } else {
      usage();
    }
  }

  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* Notices such as "no bootstrap.servers" are noise here: this handle only hosts the cluster. */
  rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof(errstr));
  /* The mock cluster needs a client handle to live in; it is never used to produce. */
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) {
    fprintf(stderr, "kafka_mock_cluster: rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (!cluster) {
    fprintf(stderr, "kafka_mock_cluster: could not create a mock cluster\n");
    return 1;
  }
  for (int i = 0; i < topic_count; i++) {
    char name[256];
    const char *colon = strrchr(topics[i], ':');
    int partitions = 1;
    size_t len = strlen(topics[i]);
    if (colon) {
      partitions = atoi(colon + 1);
      len = static_cast<size_t>(colon - topics[i]);
    }
    if (partitions < 1 || len == 0 || len >= sizeof(name)) usage();
    memcpy(name, topics[i], len);
    name[len] = '\0';
    int replication = brokers < 3 ? brokers : 3;
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, name, partitions, replication);
    if (err) {
      fprintf(stderr, "kafka_mock_cluster: topic %s: %s\n", name, rd_kafka_err2str(err));
      return 1;
    }
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  printf("BOOTSTRAP=%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  bool commands_open = true;
  char line[512];
  size_t used = 0;
  while (!stop_requested) {
    if (!commands_open) {
      usleep(100 * 1000);
      continue;
    }
    struct pollfd in = {0, POLLIN, 0};
    if (poll(&in, 1, 100) <= 0) continue;
    ssize_t n = read(0, line + used, sizeof(line) - 1 - used);
    if (n <= 0) {
      commands_open = false;
      continue;
    }
    used += static_cast<size_t>(n);
    line[used] = '\0';
    char *newline;
    while ((newline = strchr(line, '\n')) != NULL) {
      *newline = '\0';
      run_command(cluster, line);
      size_t rest = used - static_cast<size_t>(newline + 1 - line);
      memmove(line, newline + 1, rest + 1);
      used = rest;
    }
    if (used == sizeof(line) - 1) used = 0;  /* an overlong line: dropped */
  }

  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  free(topics);
  return 0;
}
