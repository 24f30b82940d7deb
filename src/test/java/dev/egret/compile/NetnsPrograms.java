package dev.egret.compile;

/** Small Python programs the namespace tests run inside their namespaces. */
final class NetnsPrograms {
  /** Listens on ADDR (IPv4 or IPv6) for every PORT given after it; accepts, closes each. */
  static final String SERVER =
      "import socket,select,sys\n"
          + "ls=[]\n"
          + "fam=socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET\n"
          + "for p in sys.argv[2:]:\n"
          + "  s=socket.socket(fam); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
          + "  s.bind((sys.argv[1],int(p))); s.listen(16); ls.append(s)\n"
          + "print('listening',flush=True)\n"
          + "while True:\n"
          + "  r,_,_=select.select(ls,[],[])\n"
          + "  for s in r:\n"
          + "    c,_=s.accept(); c.close()\n";

  /** Connects to ADDR PORT (from source port SPORT when given), 2 s at the most. */
  static final String CONNECT =
      "import socket,sys\n"
          + "src=('',int(sys.argv[3])) if len(sys.argv)>3 else None\n"
          + "socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=2,"
          + "source_address=src).close()\n";

  private NetnsPrograms() {}
}
