#include "common/thread_name.h"

#include <pthread.h>

namespace hallcast::common {

void name_this_thread(const char* name) {
  // A longer name is refused (ERANGE) and the thread keeps its old one; nothing else
  // can go wrong, and a name is only a help, so the result is not checked.
  pthread_setname_np(pthread_self(), name);
}

}  // namespace hallcast::common
