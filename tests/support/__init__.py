"""What tests share: fakes of the platforms and servers on 127.0.0.1, builders, row helpers."""
