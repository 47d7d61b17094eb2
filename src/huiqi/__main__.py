import sys

from huiqi.cli import main

sys.exit(main())
