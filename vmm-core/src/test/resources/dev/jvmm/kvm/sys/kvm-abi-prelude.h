/*
 * Prelude of the program KvmAbiTest compiles (via CAbiProbe) to read the KVM ABI from the installed
 * uapi headers (Debian: linux-libc-dev). CAbiProbe appends a main() that prints each probed expression.
 */
#include <linux/kvm.h>
#include <asm/signal.h>   /* the kernel's sigset_t (one unsigned long on x86_64), for KVM_SET_SIGNAL_MASK */

/*
 * Linux 6.6 renamed the KVM-VFIO device attributes KVM_DEV_VFIO_GROUP* to KVM_DEV_VFIO_FILE* and kept the
 * old names as aliases of the new ones. Older headers have only the old names; give them the new ones the
 * same way so the Java constants of both spellings are checked against one definition.
 */
#ifndef KVM_DEV_VFIO_FILE
#define KVM_DEV_VFIO_FILE     KVM_DEV_VFIO_GROUP
#define KVM_DEV_VFIO_FILE_ADD KVM_DEV_VFIO_GROUP_ADD
#define KVM_DEV_VFIO_FILE_DEL KVM_DEV_VFIO_GROUP_DEL
#endif
