// SPDX-License-Identifier: GPL-2.0
#include "jumpctl.h"

int main(int argc, char **argv)
{
	return jumpctl_main(argc, argv);
}
