from ttkhc_cli.cli import main

main()
