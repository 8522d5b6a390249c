/* kafka_mock_cluster (plain C style, built as C++ because the project declares only cpp): a librdkafka mock Kafka cluster in its own process, for tests and benchmarks.
 *
 *   kafka_mock_cluster [--brokers N] [--topic NAME:PARTITIONS]...
 *
 * Creates the cluster (brokers listen on 127.0.0.1, random ports), pre-creates each topic with a known partition
 * count (the mock would otherwise auto-create topics with 4 partitions on first metadata request), prints
 * `BOOTSTRAP=host:port,...` as one flushed line on stdout and runs until SIGTERM or SIGINT. Nothing persists:
 * tests restart `pipe`, never this helper. See /work/shared/testing/kafka-mock.md for the mock's limits. */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
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

  while (!stop_requested) usleep(100 * 1000);

  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  free(topics);
  return 0;
}
