import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

// W6 backlog on RabbitMQ, as FerryMQ's `scripts/bench w6`: publish --count persistent messages of --size bytes to a
// durable queue with no consumer (publisher confirms, <= 256 outstanding), then drain it with one consumer (prefetch
// 1000, manual ack per message); fill and drain rates, the server's peak RSS per phase (--pid, from /proc), and every
// confirmed message delivered once. --variant classic (a classic queue v2, x-queue-version 2) or quorum.
// java -cp $CP RabbitBacklog --count 65536 --size 65536 --variant classic --pid <beam pid>
public final class RabbitBacklog {

  static long count = 65_536;
  static int size = 65_536;
  static String variant = "classic";
  static long pid;
  static volatile long peak;

  public static void main(String[] a) throws Exception {
    for (int i = 0; i + 1 < a.length; i += 2) {
      switch (a[i]) {
        case "--count" -> count = Long.parseLong(a[i + 1]);
        case "--size" -> size = Integer.parseInt(a[i + 1]);
        case "--variant" -> variant = a[i + 1];
        case "--pid" -> pid = Long.parseLong(a[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + a[i]);
      }
    }
    Thread sampler = new Thread(() -> {
      while (true) {
        peak = Math.max(peak, rssKiB());
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    ConnectionFactory cf = new ConnectionFactory();
    cf.setHost("127.0.0.1");
    String q = "bench.w6." + variant;
    try (Connection admin = cf.newConnection("admin"); Channel ach = admin.createChannel()) {
      ach.queueDelete(q);
      Map<String, Object> args = new HashMap<>();
      if (variant.equals("quorum")) {
        args.put("x-queue-type", "quorum");
      } else {
        args.put("x-queue-version", 2);
      }
      ach.queueDeclare(q, true, false, false, args);
    }
    BitSet confirmed = new BitSet();
    AtomicLong nacked = new AtomicLong();
    long t0 = System.nanoTime();
    try (Connection pc = cf.newConnection("producer")) {
      Channel pch = pc.createChannel();
      pch.confirmSelect();
      Semaphore window = new Semaphore(256);
      ConcurrentSkipListSet<Long> outstanding = new ConcurrentSkipListSet<>();
      Map<Long, Long> index = new java.util.concurrent.ConcurrentHashMap<>();
      pch.addConfirmListener(new ConfirmListener() {
        void done(long tag, boolean multiple, boolean ok) {
          NavigableSet<Long> tags = multiple ? outstanding.headSet(tag, true) : outstanding.subSet(tag, true, tag, true);
          Long t;
          while ((t = tags.pollFirst()) != null) {
            Long i = index.remove(t);
            if (ok && i != null) {
              synchronized (confirmed) {
                confirmed.set((int) (long) i);
              }
            } else {
              nacked.incrementAndGet();
            }
            window.release();
          }
        }

        public void handleAck(long tag, boolean multiple) {
          done(tag, multiple, true);
        }

        public void handleNack(long tag, boolean multiple) {
          done(tag, multiple, false);
        }
      });
      byte[] body = new byte[size];
      for (long i = 0; i < count; i++) {
        window.acquire();
        long tag = pch.getNextPublishSeqNo();
        index.put(tag, i);
        outstanding.add(tag);
        ByteBuffer.wrap(body).putLong(i);
        pch.basicPublish("", q, MessageProperties.PERSISTENT_BASIC, body);
      }
      window.acquire(256); // every confirm in
    }
    long fillNs = System.nanoTime() - t0;
    long fillPeak = peak;
    peak = 0;
    int n;
    synchronized (confirmed) {
      n = confirmed.cardinality();
    }
    BitSet delivered = new BitSet();
    AtomicLong duplicates = new AtomicLong();
    AtomicLong last = new AtomicLong(System.nanoTime());
    long t1 = System.nanoTime();
    try (Connection cc = cf.newConnection("consumer")) {
      Channel cch = cc.createChannel();
      cch.basicQos(1000);
      cch.basicConsume(q, false, new DefaultConsumer(cch) {
        @Override
        public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] b) throws java.io.IOException {
          int i = (int) ByteBuffer.wrap(b).getLong();
          synchronized (delivered) {
            if (delivered.get(i)) {
              duplicates.incrementAndGet();
            }
            delivered.set(i);
          }
          last.set(System.nanoTime());
          cch.basicAck(env.getDeliveryTag(), false);
        }
      });
      while (true) {
        synchronized (delivered) {
          if (delivered.cardinality() >= n) {
            break;
          }
        }
        if (System.nanoTime() - last.get() > 30_000_000_000L) {
          break; // nothing for 30 s
        }
        Thread.sleep(20);
      }
    }
    long drainNs = System.nanoTime() - t1;
    BitSet missing = (BitSet) confirmed.clone();
    missing.andNot(delivered);
    System.out.printf(Locale.ROOT, "RESULT rabbit/w6/%s count=%d size=%d fill_rate=%.0f fill_mibs=%.1f drain_rate=%.0f"
        + " confirmed=%d nacked=%d delivered=%d missing=%d duplicates=%d fill_peak_rss_mib=%d drain_peak_rss_mib=%d%n",
      variant, count, size, n * 1e9 / fillNs, (double) n * size / (1 << 20) * 1e9 / fillNs,
      delivered.cardinality() * 1e9 / drainNs, n, nacked.get(), delivered.cardinality(), missing.cardinality(),
      duplicates.get(), fillPeak / 1024, peak / 1024);
    System.exit(0);
  }

  static long rssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (Exception ignored) {
      // gone
    }
    return 0;
  }
}
