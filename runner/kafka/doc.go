// Package kafka is the runner's Kafka client layer and the only package that
// imports sarama. It maps Kafka Java client properties onto sarama
// (NewClientConfig), and offers the three clients Connect needs: a Producer
// for source tasks, a pull-style Consumer for sink tasks (the subset of
// KafkaConsumer that WorkerSinkTask uses) and an Admin for cluster ID, topic
// creation and consumer group offsets.
//
// sarama's process-wide state (Logger, go-metrics) is set once by main through
// SetupGlobals; nothing else here touches sarama globals.
//
// Every goroutine started here is owned by the Producer, Consumer or Admin
// that started it and is stopped and waited for by its Close.
package kafka
